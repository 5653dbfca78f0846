//! Failed-logon counting per user name and per peer address, in a sliding window.

use std::collections::{HashMap, VecDeque};
use std::net::IpAddr;
use std::time::{Duration, SystemTime};

/// How many distinct names and addresses are tracked at most: a caller trying millions of
/// made-up names must not grow the table without bound. Past it, entries whose failures all
/// left the window go first, then the least recently failed.
const MAX_TRACKED: usize = 100_000;

/// What failures are counted against.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Subject {
    /// A user name as typed, ASCII-lowercased (names are case-insensitive); also for names
    /// that do not exist, so the limiter says nothing about which do.
    User(String),
    Address(IpAddr),
}

/// Failure times per subject, oldest first, at most `limit` of them each.
#[derive(Debug, Default)]
pub struct FailureLog {
    failures: HashMap<Subject, VecDeque<SystemTime>>,
}

impl FailureLog {
    /// When `subject` may try again, if it has `limit` failures within `window` of `now`.
    pub fn blocked_for(
        &mut self,
        subject: &Subject,
        limit: u32,
        window: Duration,
        now: SystemTime,
    ) -> Option<Duration> {
        let times = self.failures.get_mut(subject)?;
        prune(times, window, now);
        if times.is_empty() {
            self.failures.remove(subject);
            return None;
        }
        if times.len() < limit as usize {
            return None;
        }
        // Free again once the oldest counted failure leaves the window.
        let free_at = times[times.len() - limit as usize] + window;
        Some(free_at.duration_since(now).unwrap_or(Duration::ZERO))
    }

    pub fn record_failure(
        &mut self,
        subject: Subject,
        limit: u32,
        window: Duration,
        now: SystemTime,
    ) {
        if !self.failures.contains_key(&subject) && self.failures.len() >= MAX_TRACKED {
            self.make_room(window, now);
        }
        let times = self.failures.entry(subject).or_default();
        prune(times, window, now);
        times.push_back(now);
        while times.len() > limit as usize {
            times.pop_front();
        }
    }

    /// Takes back one failure recorded at `at` (an attempt counted before it was checked
    /// that turned out to succeed).
    pub fn withdraw(&mut self, subject: &Subject, at: SystemTime) {
        if let Some(times) = self.failures.get_mut(subject) {
            if let Some(position) = times.iter().rposition(|&t| t == at) {
                times.remove(position);
            }
            if times.is_empty() {
                self.failures.remove(subject);
            }
        }
    }

    pub fn clear(&mut self, subject: &Subject) {
        self.failures.remove(subject);
    }

    #[cfg(test)]
    pub fn tracked(&self) -> usize {
        self.failures.len()
    }

    fn make_room(&mut self, window: Duration, now: SystemTime) {
        self.failures.retain(|_, times| {
            prune(times, window, now);
            !times.is_empty()
        });
        if self.failures.len() >= MAX_TRACKED {
            let stalest = self
                .failures
                .iter()
                .min_by_key(|(_, times)| times.back().copied())
                .map(|(subject, _)| subject.clone());
            if let Some(subject) = stalest {
                self.failures.remove(&subject);
            }
        }
    }
}

fn prune(times: &mut VecDeque<SystemTime>, window: Duration, now: SystemTime) {
    while times.front().is_some_and(|&t| t + window <= now) {
        times.pop_front();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blocks_at_the_limit_and_frees_when_the_oldest_failure_leaves_the_window() {
        let mut log = FailureLog::default();
        let window = Duration::from_secs(60);
        let t0 = SystemTime::UNIX_EPOCH + Duration::from_secs(1_000_000);
        let who = Subject::User("alice".into());
        log.record_failure(who.clone(), 3, window, t0);
        log.record_failure(who.clone(), 3, window, t0 + Duration::from_secs(10));
        assert_eq!(log.blocked_for(&who, 3, window, t0 + Duration::from_secs(10)), None);
        log.record_failure(who.clone(), 3, window, t0 + Duration::from_secs(20));
        assert_eq!(
            log.blocked_for(&who, 3, window, t0 + Duration::from_secs(30)),
            Some(Duration::from_secs(30))
        );
        // At t0 + 60 the first failure leaves: two remain, below the limit.
        assert_eq!(log.blocked_for(&who, 3, window, t0 + Duration::from_secs(60)), None);
        // Long after, the subject is forgotten altogether.
        assert_eq!(log.blocked_for(&who, 3, window, t0 + Duration::from_secs(500)), None);
        assert_eq!(log.tracked(), 0);
    }
}
