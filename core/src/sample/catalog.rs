//! The simulated company's catalogue and market: plans and prices, coupons, regions, company
//! sizes, product features, and the name pools that people and companies are drawn from.

use rand::RngExt;
use rand_chacha::ChaCha8Rng;

/// A plan tier. Prices are per seat.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Plan {
    Starter,
    Growth,
    Enterprise,
}

impl Plan {
    /// The lower-case key written into event properties and plan ids.
    pub fn key(self) -> &'static str {
        match self {
            Plan::Starter => "starter",
            Plan::Growth => "growth",
            Plan::Enterprise => "enterprise",
        }
    }

    /// The name shown in the CRM and in Stripe's product column.
    pub fn name(self) -> &'static str {
        match self {
            Plan::Starter => "Starter",
            Plan::Growth => "Growth",
            Plan::Enterprise => "Enterprise",
        }
    }

    pub fn higher(self) -> Plan {
        match self {
            Plan::Starter => Plan::Growth,
            _ => Plan::Enterprise,
        }
    }

    pub fn lower(self) -> Plan {
        match self {
            Plan::Enterprise => Plan::Growth,
            _ => Plan::Starter,
        }
    }

    /// The monthly price of one seat, in minor units of `currency`.
    pub fn monthly_seat_price_minor(self, currency: Currency) -> i64 {
        match (self, currency) {
            (Plan::Starter, Currency::Gbp) => 2_500,
            (Plan::Growth, Currency::Gbp) => 4_900,
            (Plan::Enterprise, Currency::Gbp) => 8_500,
            (Plan::Starter, _) => 2_900,
            (Plan::Growth, _) => 5_900,
            (Plan::Enterprise, _) => 9_900,
        }
    }

    /// The price of one seat for one billing period: an annual seat costs ten monthly ones.
    pub fn seat_price_minor(self, currency: Currency, interval: Interval) -> i64 {
        match interval {
            Interval::Month => self.monthly_seat_price_minor(currency),
            Interval::Year => self.monthly_seat_price_minor(currency) * 10,
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Interval {
    Month,
    Year,
}

impl Interval {
    pub fn months(self) -> u32 {
        match self {
            Interval::Month => 1,
            Interval::Year => 12,
        }
    }

    /// Stripe's interval word.
    pub fn word(self) -> &'static str {
        match self {
            Interval::Month => "month",
            Interval::Year => "year",
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Currency {
    Usd,
    Eur,
    Gbp,
}

impl Currency {
    /// The lower-case ISO 4217 code, as Stripe writes it.
    pub fn code(self) -> &'static str {
        match self {
            Currency::Usd => "usd",
            Currency::Eur => "eur",
            Currency::Gbp => "gbp",
        }
    }

    /// A fixed exchange rate to US dollars, in hundredths of a cent per unit (10 000 = 1.0).
    /// NOTE: a constant rate, so converted amounts do not move with the market.
    pub fn usd_rate_per_10_000(self) -> i64 {
        match self {
            Currency::Usd => 10_000,
            Currency::Eur => 10_850,
            Currency::Gbp => 12_700,
        }
    }
}

/// A Stripe coupon, named by its id. Repeating coupons apply to the periods that start within
/// their first months of a subscription.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Coupon {
    /// 100% off forever: a partner who uses the product without paying.
    Partner100,
    /// 100% off for three months.
    Free3Months,
    /// 20% off for three months, also offered to win back churned customers.
    Welcome20,
    /// 10% off forever.
    Loyal10,
}

impl Coupon {
    pub fn id(self) -> &'static str {
        match self {
            Coupon::Partner100 => "PARTNER100",
            Coupon::Free3Months => "FREE3MONTHS",
            Coupon::Welcome20 => "WELCOME20",
            Coupon::Loyal10 => "LOYAL10",
        }
    }

    pub fn percent_off(self) -> i64 {
        match self {
            Coupon::Partner100 | Coupon::Free3Months => 100,
            Coupon::Welcome20 => 20,
            Coupon::Loyal10 => 10,
        }
    }

    /// How many months from the subscription start the coupon applies; `None` is forever.
    pub fn duration_months(self) -> Option<u32> {
        match self {
            Coupon::Free3Months | Coupon::Welcome20 => Some(3),
            Coupon::Partner100 | Coupon::Loyal10 => None,
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Region {
    NorthAmerica,
    Europe,
    UnitedKingdom,
    AsiaPacific,
}

impl Region {
    pub fn draw(rng: &mut ChaCha8Rng) -> Region {
        match rng.random_range(0..100) {
            0..60 => Region::NorthAmerica,
            60..84 => Region::Europe,
            84..93 => Region::UnitedKingdom,
            _ => Region::AsiaPacific,
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            Region::NorthAmerica => "North America",
            Region::Europe => "Europe",
            Region::UnitedKingdom => "United Kingdom",
            Region::AsiaPacific => "Asia Pacific",
        }
    }

    pub fn currency(self) -> Currency {
        match self {
            Region::Europe => Currency::Eur,
            Region::UnitedKingdom => Currency::Gbp,
            Region::NorthAmerica | Region::AsiaPacific => Currency::Usd,
        }
    }

    /// The countries a company in this region is placed in.
    pub fn countries(self) -> &'static [&'static str] {
        match self {
            Region::NorthAmerica => &["United States", "United States", "United States", "Canada"],
            Region::Europe => &["Germany", "France", "Netherlands", "Spain", "Ireland"],
            Region::UnitedKingdom => &["United Kingdom"],
            Region::AsiaPacific => &["Australia", "Singapore", "Japan"],
        }
    }

    /// Hours to add to a local business hour to get UTC (New York, Berlin, London, Sydney).
    pub fn utc_offset_hours(self) -> i64 {
        match self {
            Region::NorthAmerica => 5,
            Region::Europe => -1,
            Region::UnitedKingdom => 0,
            Region::AsiaPacific => -10,
        }
    }
}

/// A company's head-count band, as CRMs bucket it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CompanySize {
    Micro,
    Small,
    Medium,
    Large,
    Huge,
}

impl CompanySize {
    pub fn draw(rng: &mut ChaCha8Rng) -> CompanySize {
        match rng.random_range(0..100) {
            0..30 => CompanySize::Micro,
            30..60 => CompanySize::Small,
            60..82 => CompanySize::Medium,
            82..94 => CompanySize::Large,
            _ => CompanySize::Huge,
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            CompanySize::Micro => "1-10",
            CompanySize::Small => "11-50",
            CompanySize::Medium => "51-200",
            CompanySize::Large => "201-1000",
            CompanySize::Huge => "1000+",
        }
    }

    pub fn employees(self, rng: &mut ChaCha8Rng) -> u32 {
        match self {
            CompanySize::Micro => rng.random_range(2..=10),
            CompanySize::Small => rng.random_range(11..=50),
            CompanySize::Medium => rng.random_range(51..=200),
            CompanySize::Large => rng.random_range(201..=1000),
            CompanySize::Huge => rng.random_range(1001..=12_000),
        }
    }

    /// The plan a new customer of this size starts on.
    pub fn draw_plan(self, rng: &mut ChaCha8Rng) -> Plan {
        let roll = rng.random_range(0..100);
        let (starter_below, growth_below) = match self {
            CompanySize::Micro => (80, 100),
            CompanySize::Small => (40, 95),
            CompanySize::Medium => (0, 70),
            CompanySize::Large => (0, 40),
            CompanySize::Huge => (0, 0),
        };
        if roll < starter_below {
            Plan::Starter
        } else if roll < growth_below {
            Plan::Growth
        } else {
            Plan::Enterprise
        }
    }

    /// The number of seats a new customer of this size buys.
    pub fn draw_seats(self, rng: &mut ChaCha8Rng) -> u32 {
        match self {
            CompanySize::Micro => rng.random_range(1..=3),
            CompanySize::Small => rng.random_range(2..=8),
            CompanySize::Medium => rng.random_range(5..=20),
            CompanySize::Large => rng.random_range(10..=40),
            CompanySize::Huge => rng.random_range(25..=80),
        }
    }

    /// The share of new customers of this size who choose annual billing, in percent.
    pub fn annual_percent(self) -> u32 {
        match self {
            CompanySize::Micro => 10,
            CompanySize::Small => 20,
            CompanySize::Medium => 35,
            CompanySize::Large => 50,
            CompanySize::Huge => 70,
        }
    }
}

/// A product feature, written as the event name. The first two are used by every active user.
pub struct Feature {
    pub event: &'static str,
    /// The chance that an engaged user ever adopts the feature.
    pub adoption: f64,
    /// The relative frequency of the event among a user's events once adopted.
    pub weight: f64,
}

pub const FEATURES: [Feature; 8] = [
    Feature { event: "session_started", adoption: 1.0, weight: 3.0 },
    Feature { event: "dashboard_viewed", adoption: 1.0, weight: 4.0 },
    Feature { event: "filter_applied", adoption: 0.65, weight: 2.0 },
    Feature { event: "report_created", adoption: 0.55, weight: 1.5 },
    Feature { event: "export_downloaded", adoption: 0.4, weight: 0.8 },
    Feature { event: "teammate_invited", adoption: 0.3, weight: 0.3 },
    Feature { event: "alert_created", adoption: 0.25, weight: 0.5 },
    Feature { event: "integration_connected", adoption: 0.12, weight: 0.2 },
];

pub const PLATFORMS: [&str; 4] = ["web", "web", "desktop", "ios"];

pub const FIRST_NAMES: [&str; 24] = [
    "Ada", "Ben", "Chloe", "Dev", "Elena", "Farid", "Grace", "Hiro", "Ines", "Jonas", "Kemi",
    "Liam", "Maya", "Nils", "Olga", "Priya", "Quinn", "Rosa", "Sam", "Tariq", "Uma", "Victor",
    "Wen", "Zoe",
];

pub const LAST_NAMES: [&str; 20] = [
    "Adams", "Berg", "Costa", "Dubois", "Evans", "Fischer", "Garcia", "Haddad", "Ito", "Jensen",
    "Kowalski", "Lopez", "Moreau", "Nakamura", "Okafor", "Patel", "Rossi", "Schmidt", "Tanaka",
    "Weber",
];

pub const COMPANY_STEMS: [&str; 24] = [
    "Acme", "Bluefin", "Northwind", "Brightline", "Silverleaf", "Ironbark", "Cedar", "Nova",
    "Summit", "Harbor", "Pinecrest", "Quartz", "Atlas", "Vector", "Lumen", "Orbit", "Delta",
    "Maple", "Falcon", "Kestrel", "Tidewater", "Granite", "Juniper", "Redwood",
];

pub const COMPANY_TRADES: [(&str, &str); 12] = [
    ("Labs", "Computer Software"),
    ("Logistics", "Logistics and Supply Chain"),
    ("Health", "Hospital & Health Care"),
    ("Analytics", "Information Technology and Services"),
    ("Foods", "Food & Beverages"),
    ("Systems", "Computer Software"),
    ("Robotics", "Machinery"),
    ("Media", "Marketing and Advertising"),
    ("Capital", "Financial Services"),
    ("Energy", "Renewables & Environment"),
    ("Retail", "Retail"),
    ("Cloud", "Internet"),
];

/// The customer success managers who own accounts in the CRM.
pub const ACCOUNT_OWNERS: [&str; 5] =
    ["Alex Rivera", "Bea Lindqvist", "Chen Wei", "Dana Brooks", "Emeka Obi"];

/// The support agents assigned to tickets.
pub const SUPPORT_AGENTS: [&str; 6] =
    ["Fatima Khan", "George Hall", "Hanna Virtanen", "Ivan Petrov", "Julia Santos", "Kofi Mensah"];

/// Picks one element of a non-empty slice.
pub fn pick<T: Copy>(rng: &mut ChaCha8Rng, items: &[T]) -> T {
    items[rng.random_range(0..items.len())]
}
