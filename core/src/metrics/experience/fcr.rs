//! First contact resolution (FCR) from support tickets, by solved date.
//!
//! A solved or closed ticket is resolved on first contact when its explicit flag is true;
//! without a flag, when it has at most one agent reply and, where a reopen count exists, no
//! reopen. Open, pending and on-hold tickets are left out. Zendesk's own one-touch formula
//! ignores reopens, so it can read higher than this.

use crate::ingest::kinds::{Ticket, TicketStatus, Tickets};
use crate::metrics::period::Period;
use crate::metrics::share::Share;
use crate::metrics::unavailable::Unavailable;

/// FCR of one period, with the solved tickets that could not be judged.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Fcr {
    /// Tickets resolved on first contact / solved or closed tickets that could be judged.
    pub resolved_first_contact: Share,
    /// Solved or closed tickets in the period with neither a flag nor a reply count.
    pub undetermined: u64,
}

/// Returns whether a solved ticket was resolved on first contact, or `None` when the export
/// gives neither a flag nor an agent reply count.
pub fn is_first_contact_resolution(ticket: &Ticket) -> Option<bool> {
    if let Some(flag) = ticket.first_contact_resolution {
        return Some(flag);
    }
    let replies = ticket.agent_replies?;
    Some(replies <= 1 && ticket.reopens.unwrap_or(0) == 0)
}

/// Returns true for a solved or closed ticket whose solved date falls in `period`.
pub fn solved_in(ticket: &Ticket, period: Period) -> bool {
    let solved_status = matches!(ticket.status, TicketStatus::Solved | TicketStatus::Closed);
    solved_status && ticket.solved.is_some_and(|solved| period.contains(solved.date()))
}

/// Computes FCR over the tickets solved or closed in `period`.
pub fn first_contact_resolution(tickets: &Tickets, period: Period) -> Result<Fcr, Unavailable> {
    let (mut judged, mut resolved, mut undetermined) = (0u64, 0u64, 0u64);
    for ticket in tickets.rows.iter().filter(|ticket| solved_in(ticket, period)) {
        match is_first_contact_resolution(ticket) {
            Some(first_contact) => {
                judged += 1;
                resolved += u64::from(first_contact);
            }
            None => undetermined += 1,
        }
    }

    match Share::new(resolved, judged) {
        Some(share) => Ok(Fcr { resolved_first_contact: share, undetermined }),
        None if undetermined > 0 => Err(Unavailable::MissingColumn {
            kind: "support tickets",
            column: "agent replies (or a first-contact-resolution flag)",
        }),
        None => Err(Unavailable::ZeroDenominator { what: "the number of tickets solved in the period" }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ingest::kinds::Timestamp;
    use crate::metrics::period::Granularity;
    use crate::metrics::testing::date;

    fn ticket(status: TicketStatus, solved: Option<&str>, replies: Option<u32>, reopens: Option<u32>, flag: Option<bool>) -> Ticket {
        Ticket {
            id: "t".into(),
            requester: None,
            created: Timestamp::start_of(date("2024-01-01")),
            solved: solved.map(|day| Timestamp::start_of(date(day))),
            status,
            agent_replies: replies,
            reopens,
            rating: None,
            first_contact_resolution: flag,
        }
    }

    fn january() -> Period {
        Period::of(Granularity::Month, date("2024-01-01"))
    }

    #[test]
    fn replies_reopens_and_flag_decide() {
        let tickets = Tickets {
            rows: vec![
                ticket(TicketStatus::Solved, Some("2024-01-05"), Some(1), Some(0), None),
                ticket(TicketStatus::Closed, Some("2024-01-06"), Some(0), None, None),
                ticket(TicketStatus::Solved, Some("2024-01-07"), Some(1), Some(1), None),
                ticket(TicketStatus::Solved, Some("2024-01-08"), Some(3), None, None),
                ticket(TicketStatus::Solved, Some("2024-01-09"), Some(5), None, Some(true)),
                ticket(TicketStatus::Open, None, Some(1), None, None),
                ticket(TicketStatus::Pending, Some("2024-01-10"), Some(1), None, None),
                ticket(TicketStatus::OnHold, None, Some(0), None, None),
                ticket(TicketStatus::Solved, Some("2024-02-01"), Some(1), None, None),
                ticket(TicketStatus::Solved, Some("2024-01-11"), None, None, None),
            ],
            ..Tickets::default()
        };
        let result = first_contact_resolution(&tickets, january()).unwrap();
        assert_eq!((result.resolved_first_contact.numerator, result.resolved_first_contact.denominator), (3, 5));
        assert_eq!(result.undetermined, 1);
    }

    #[test]
    fn tickets_without_reply_counts_name_the_column() {
        let tickets = Tickets { rows: vec![ticket(TicketStatus::Solved, Some("2024-01-05"), None, None, None)], ..Tickets::default() };
        assert!(matches!(first_contact_resolution(&tickets, january()), Err(Unavailable::MissingColumn { .. })));
        assert!(matches!(first_contact_resolution(&Tickets::default(), january()), Err(Unavailable::ZeroDenominator { .. })));
    }
}
