//! Product events: typed row by row into [`EventRows`], which the rows of a later part of the
//! same file can extend, then finished into [`Events`] with each user's attributes.

use serde::{Deserialize, Serialize};

use super::dataset::{Interner, Segment};
use super::kinds::{Events, Timestamp};
use super::roles::Role;
use super::rows::{Context, RoleMap};
use super::values::IsoDay;

/// Typed events of consecutive rows of a file, with each user's attributes as their first
/// rows give them. Ids and labels are indices into lists in order of first appearance, and
/// each attribute remembers the order in which users got it, so that [`EventRows::append`]
/// gives what typing all rows at once gives.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
pub struct EventRows {
    user_ids: Vec<String>,
    #[serde(with = "super::part_wire")]
    user: Vec<u32>,
    #[serde(with = "super::part_wire")]
    time: Vec<Timestamp>,
    event_names: Vec<String>,
    #[serde(with = "super::part_wire")]
    event: Vec<u32>,
    accounts: FirstValues,
    signup_of_user: Vec<Option<Timestamp>>,
    segment_names: Vec<String>,
    segments: Vec<FirstValues>,
}

/// A text attribute of users (account id, segment label): each user's first non-missing value,
/// as an index into `values`.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
struct FirstValues {
    values: Vec<String>,
    of_user: Vec<Option<u32>>,
    /// Users in the order they got their value.
    order: Vec<u32>,
}

/// Types the rows of a product-event log. Rows without a user, time or event name are left
/// out and reported. A user's account, signup and segments come from the user's first event
/// that has one. Returns `None` when the roles lack one of the three required columns.
pub fn event_rows(context: &mut Context, roles: &RoleMap) -> Option<EventRows> {
    let [user, time, event] = [Role::UserId, Role::Date, Role::EventName].map(|role| roles.first(role));
    let (user, time, event) = (user?, time?, event?);
    let segment_columns = roles.all(Role::Segment);
    let (account_column, signup_column) = (roles.first(Role::AccountId), roles.first(Role::SignupDate));
    let mut users = Interner::default();
    let mut names = Interner::default();
    let mut accounts = Interner::default();
    let mut segment_labels: Vec<Interner> = segment_columns.iter().map(|_| Interner::default()).collect();
    let mut typed = EventRows {
        segment_names: segment_columns.iter().map(|column| context.table.headers[*column].clone()).collect(),
        segments: vec![FirstValues::default(); segment_columns.len()],
        ..EventRows::default()
    };
    // One event per row: growing these by doubling costs a copy each time.
    let expected = context.expected_rows();
    typed.user.reserve(expected);
    typed.time.reserve(expected);
    typed.event.reserve(expected);
    let mut day = IsoDay::default();
    for row in 0..context.table.row_count() {
        let mut reader = context.row(row);
        let user_id = reader.required_text(user);
        let moment = reader.required_time_with(time, &mut day);
        let name = reader.required_text(event);
        let account = reader.text(account_column);
        let signup = reader.time(signup_column);
        let problems = std::mem::take(&mut reader.problems);
        context.record(problems);
        let (Some(user_id), Some(moment), Some(name)) = (user_id, moment, name) else { continue };

        let user_index = users.intern(user_id) as usize;
        if user_index == typed.signup_of_user.len() {
            typed.signup_of_user.push(None);
            typed.accounts.of_user.push(None);
            typed.segments.iter_mut().for_each(|segment| segment.of_user.push(None));
        }
        typed.user.push(user_index as u32);
        typed.time.push(moment);
        typed.event.push(names.intern(name));
        typed.accounts.offer(user_index, account, &mut accounts);
        if typed.signup_of_user[user_index].is_none() {
            typed.signup_of_user[user_index] = signup;
        }
        for ((segment, column), labels) in typed.segments.iter_mut().zip(&segment_columns).zip(&mut segment_labels) {
            if segment.of_user[user_index].is_none() {
                let cell = context.table.cell(*column, row);
                segment.offer(user_index, (!context.is_missing(cell)).then_some(cell), labels);
            }
        }
    }
    typed.user_ids = users.values;
    typed.event_names = names.values;
    typed.accounts.values = accounts.values;
    for (segment, labels) in typed.segments.iter_mut().zip(segment_labels) {
        segment.values = labels.values;
    }
    Some(typed)
}

impl EventRows {
    /// Adds the rows of the part of the file that follows these rows. Ids and labels new in
    /// `later` are numbered after the known ones, in their order in `later`; a user keeps an
    /// attribute it already has.
    pub fn append(&mut self, later: EventRows) {
        let mut users = Interner::of_distinct(std::mem::take(&mut self.user_ids));
        let user_map: Vec<u32> = later.user_ids.iter().map(|id| users.intern(id)).collect();
        let mut names = Interner::of_distinct(std::mem::take(&mut self.event_names));
        let name_map: Vec<u32> = later.event_names.iter().map(|name| names.intern(name)).collect();
        self.user_ids = users.values;
        self.event_names = names.values;
        self.user.extend(later.user.iter().map(|user| user_map[*user as usize]));
        self.time.extend_from_slice(&later.time);
        self.event.extend(later.event.iter().map(|event| name_map[*event as usize]));

        let user_count = self.user_ids.len();
        self.signup_of_user.resize(user_count, None);
        for (later_user, signup) in later.signup_of_user.iter().enumerate() {
            let user = user_map[later_user] as usize;
            if self.signup_of_user[user].is_none() {
                self.signup_of_user[user] = *signup;
            }
        }
        self.accounts.append(later.accounts, &user_map, user_count);
        for (segment, later_segment) in self.segments.iter_mut().zip(later.segments) {
            segment.append(later_segment, &user_map, user_count);
        }
    }

    /// Finishes the events: users without a label get "(blank)", and the account and signup
    /// lists are dropped when no row had one.
    pub fn finish(self) -> Events {
        let user_segments = self
            .segment_names
            .into_iter()
            .zip(self.segments)
            .map(|(name, segment)| {
                let mut labels = Interner::of_distinct(segment.values);
                let blank = labels.intern("(blank)");
                let values = segment.of_user.into_iter().map(|value| value.unwrap_or(blank)).collect();
                Segment { name, labels: labels.values, values }
            })
            .collect();
        let mut events = Events {
            user_ids: self.user_ids,
            user: self.user,
            time: self.time,
            event_names: self.event_names,
            event: self.event,
            account_of_user: self.accounts.of_user,
            account_ids: self.accounts.values,
            signup_of_user: self.signup_of_user,
            user_segments,
        };
        if events.account_ids.is_empty() {
            events.account_of_user.clear();
        }
        if events.signup_of_user.iter().all(Option::is_none) {
            events.signup_of_user.clear();
        }
        events
    }
}

impl FirstValues {
    /// Gives `user` the value `cell`, interned in `known`, when the user has none yet.
    fn offer(&mut self, user: usize, cell: Option<&str>, known: &mut Interner) {
        if let (None, Some(cell)) = (self.of_user[user], cell) {
            self.of_user[user] = Some(known.intern(cell));
            self.order.push(user as u32);
        }
    }

    /// Gives `later`'s values to the users, numbered with `user_map`, that have none yet, in the
    /// order `later`'s users got them. After the append, `user_count` users are known.
    fn append(&mut self, later: FirstValues, user_map: &[u32], user_count: usize) {
        self.of_user.resize(user_count, None);
        let mut known = Interner::of_distinct(std::mem::take(&mut self.values));
        for later_user in &later.order {
            let user = user_map[*later_user as usize] as usize;
            let value = later.of_user[*later_user as usize].map(|value| later.values[value as usize].as_str());
            self.offer(user, value, &mut known);
        }
        self.values = known.values;
    }
}
