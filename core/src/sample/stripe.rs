//! Stripe's subscriptions export and its unified payments export (`unified_payments.csv`).
//!
//! Rows are newest first, as the Stripe Dashboard lists them. Dates are UTC `YYYY-MM-DD HH:MM:SS`,
//! amounts are major units, currencies lower-case. Payments are converted to US dollars at fixed
//! rates in the `Converted …` columns.

use std::io::{self, Write};

use rand::RngExt;
use rand_chacha::ChaCha8Rng;

use super::calendar::datetime;
use super::catalog::{pick, Region};
use super::company::{Company, Customer};
use super::csv_writer::{columns, csv_writer, money};
use super::ids::{hex_token, stripe_id};
use super::lifecycle::{Charge, Invoice, Subscription};

pub const SUBSCRIPTIONS_HEADER: &str = "id,Customer ID,Customer Description,Customer Email,Customer Name,Plan,Product,Quantity,Currency,Interval,Amount,Status,Cancellation Reason,Created (UTC),Start (UTC),Current Period Start (UTC),Current Period End (UTC),Trial Start (UTC),Trial End (UTC),Canceled At (UTC),Ended At (UTC),Cancel At Period End,Coupon";

pub const PAYMENTS_HEADER: &str = "id,Created date (UTC),Amount,Amount Refunded,Currency,Captured,Converted Amount,Converted Amount Refunded,Converted Currency,Description,Fee,Is Link,Mode,PaymentIntent ID,Payment Source Type,Refunded date (UTC),Statement Descriptor,Status,Seller Message,Taxes On Fee,Card ID,Card Name,Card Address Line1,Card Address Line2,Card Address City,Card Address State,Card Address Country,Card Address Zip,Card AVS Line1 Status,Card AVS Zip Status,Card Brand,Card CVC Status,Card Exp Month,Card Exp Year,Card Fingerprint,Card Funding,Card Issue Country,Card Last4,Card Tokenization Method,Customer ID,Customer Description,Customer Email,Customer Phone,Shipping Name,Shipping Address Line1,Shipping Address Line2,Shipping Address City,Shipping Address State,Shipping Address Country,Shipping Address Postal Code,Disputed Amount,Dispute Date (UTC),Dispute Evidence Due (UTC),Dispute Reason,Dispute Status,Invoice ID,Invoice Number,Checkout Session ID,Checkout Custom Field 1 Key,Checkout Custom Field 1 Value,Checkout Custom Field 2 Key,Checkout Custom Field 2 Value,Checkout Custom Field 3 Key,Checkout Custom Field 3 Value,Checkout Line Item Summary,Checkout Promotional Consent,Checkout Terms of Service Consent,Client Reference ID,Payment Link ID,UTM Campaign,UTM Content,UTM Medium,UTM Source,UTM Term,Application Fee,Application ID,Destination,Transfer,Transfer Group";

/// The random stream the payments exporter draws card details from.
const CARD_STREAM: u64 = 1;

/// Writes one row per subscription, including ended and replaced ones.
pub fn write_subscriptions(company: &Company, out: &mut dyn Write) -> io::Result<()> {
    let mut rows: Vec<(&Customer, &Subscription)> = company
        .customers
        .iter()
        .flat_map(|customer| customer.subscriptions.iter().map(move |subscription| (customer, subscription)))
        .collect();
    rows.sort_by(|a, b| b.1.created.cmp(&a.1.created).then_with(|| a.1.id.cmp(&b.1.id)));

    let mut writer = csv_writer(out);
    writer.write_record(columns(SUBSCRIPTIONS_HEADER))?;
    for (customer, subscription) in rows {
        writer.write_record(subscription_row(customer, subscription))?;
    }
    writer.flush()
}

fn subscription_row(customer: &Customer, subscription: &Subscription) -> Vec<String> {
    let optional = |instant: Option<i64>| instant.map(datetime).unwrap_or_default();
    vec![
        subscription.id.clone(),
        customer.id.clone(),
        customer.name.clone(),
        customer.billing_email.clone(),
        customer.billing_contact.clone(),
        format!("{}-{}", subscription.plan.key(), subscription.interval.word()),
        format!("Beacon {}", subscription.plan.name()),
        subscription.quantity.to_string(),
        subscription.currency.code().to_string(),
        subscription.interval.word().to_string(),
        money(subscription.plan.seat_price_minor(subscription.currency, subscription.interval)),
        subscription.status.word().to_string(),
        subscription.end_reason.map(|reason| reason.stripe_reason()).unwrap_or_default().to_string(),
        datetime(subscription.created),
        datetime(subscription.created),
        datetime(subscription.current_period.0),
        datetime(subscription.current_period.1),
        optional(subscription.trial.map(|(start, _)| start)),
        optional(subscription.trial.map(|(_, end)| end)),
        optional(subscription.canceled_at),
        optional(subscription.ended_at),
        subscription.cancel_at_period_end.to_string(),
        subscription.coupon.map(|coupon| coupon.id()).unwrap_or_default().to_string(),
    ]
}

/// The card a customer pays with.
struct Card {
    id: String,
    brand: &'static str,
    exp_month: u32,
    exp_year: u32,
    fingerprint: String,
    issue_country: &'static str,
    last4: String,
}

fn draw_card(rng: &mut ChaCha8Rng, region: Region) -> Card {
    let issue_country = match region {
        Region::NorthAmerica => "US",
        Region::Europe => "DE",
        Region::UnitedKingdom => "GB",
        Region::AsiaPacific => "AU",
    };
    Card {
        id: stripe_id(rng, "card", 24),
        brand: pick(rng, &["Visa", "Visa", "MasterCard", "American Express"]),
        exp_month: rng.random_range(1..=12),
        exp_year: rng.random_range(2027..=2031),
        fingerprint: stripe_id(rng, "fp", 14).split_off(3),
        issue_country,
        last4: format!("{:04}", rng.random_range(0..10_000)),
    }
}

/// One charge with everything its row needs.
struct PaymentRow<'a> {
    customer: &'a Customer,
    card: &'a Card,
    subscription: &'a Subscription,
    invoice: &'a Invoice,
    /// The invoice's 1-based position among the customer's invoices, for its number.
    invoice_sequence: usize,
    charge: &'a Charge,
}

/// Writes one row per charge attempt: paid, failed and refunded ones.
pub fn write_payments(company: &Company, out: &mut dyn Write) -> io::Result<()> {
    let mut rng = company.exporter_rng(CARD_STREAM);
    let cards: Vec<Card> = company.customers.iter().map(|customer| draw_card(&mut rng, customer.region)).collect();
    let invoice_prefixes: Vec<String> = company.customers.iter().map(|_| hex_token(&mut rng, 8).to_uppercase()).collect();

    let mut rows = Vec::new();
    for (customer, card) in company.customers.iter().zip(&cards) {
        let invoices = customer.subscriptions.iter().flat_map(|subscription| {
            subscription.invoices.iter().map(move |invoice| (subscription, invoice))
        });
        for (index, (subscription, invoice)) in invoices.enumerate() {
            for charge in &invoice.charges {
                rows.push(PaymentRow { customer, card, subscription, invoice, invoice_sequence: index + 1, charge });
            }
        }
    }
    rows.sort_by(|a, b| b.charge.created.cmp(&a.charge.created).then_with(|| a.charge.id.cmp(&b.charge.id)));

    let mut writer = csv_writer(out);
    writer.write_record(columns(PAYMENTS_HEADER))?;
    for row in &rows {
        let prefix = &invoice_prefixes[(row.customer.number - 1) as usize];
        writer.write_record(payment_row(row, prefix))?;
    }
    writer.flush()
}

/// Stripe's standard card fee: 2.9% plus 30 minor units, rounded to the nearest minor unit.
fn fee_minor(amount_minor: i64) -> i64 {
    (amount_minor * 29 + 500) / 1_000 + 30
}

fn to_usd_minor(row: &PaymentRow, minor: i64) -> i64 {
    let rate = row.subscription.currency.usd_rate_per_10_000();
    (minor * rate + 5_000) / 10_000
}

fn payment_row(row: &PaymentRow, invoice_prefix: &str) -> Vec<String> {
    let charge = row.charge;
    let refunded_minor = charge.refund.as_ref().map_or(0, |refund| refund.amount_minor);
    let status = match (charge.paid, refunded_minor == charge.amount_minor) {
        (false, _) => "Failed",
        (true, true) => "Refunded",
        (true, false) => "Paid",
    };
    let seller_message = if charge.paid {
        "Payment complete."
    } else {
        "The bank did not return any further details with this decline."
    };
    let is_first_invoice = row.subscription.invoices.first().is_some_and(|first| first.id == row.invoice.id);
    let description = if is_first_invoice { "Subscription creation" } else { "Subscription update" };
    let fee = if charge.paid { fee_minor(charge.amount_minor) } else { 0 };
    let card = row.card;
    let customer = row.customer;

    let mut cells: Vec<String> = vec![
        charge.id.clone(),
        datetime(charge.created),
        money(charge.amount_minor),
        money(refunded_minor),
        row.subscription.currency.code().to_string(),
        charge.paid.to_string(),
        money(to_usd_minor(row, charge.amount_minor)),
        money(to_usd_minor(row, refunded_minor)),
        "usd".to_string(),
        description.to_string(),
        money(fee),
        "false".to_string(),
        "Live".to_string(),
        charge.payment_intent.clone(),
        "card".to_string(),
        charge.refund.as_ref().map(|refund| datetime(refund.at)).unwrap_or_default(),
        "BEACON".to_string(),
        status.to_string(),
        seller_message.to_string(),
        "0.00".to_string(),
        card.id.clone(),
        customer.billing_contact.clone(),
    ];
    // Card address lines, city, state, country and zip, then the AVS checks: not collected.
    cells.extend(std::iter::repeat_n(String::new(), 8));
    cells.extend([
        card.brand.to_string(),
        "pass".to_string(),
        card.exp_month.to_string(),
        card.exp_year.to_string(),
        card.fingerprint.clone(),
        "credit".to_string(),
        card.issue_country.to_string(),
        card.last4.clone(),
        String::new(),
        customer.id.clone(),
        customer.name.clone(),
        customer.billing_email.clone(),
    ]);
    // Customer phone, the shipping columns and the dispute columns: never set for these charges.
    cells.extend(std::iter::repeat_n(String::new(), 13));
    cells.extend([row.invoice.id.clone(), format!("{invoice_prefix}-{:04}", row.invoice_sequence)]);
    // Checkout, payment link, UTM and Connect columns: these charges come from invoices.
    cells.extend(std::iter::repeat_n(String::new(), 22));
    cells
}
