//! The order of property values, as restrictions compare them and tables sort them.
//!
//! MAPI leaves the exact collation to the provider; Outpost uses one order everywhere:
//! - integers (`PtypInteger16/32/64`) compare numerically across widths, and with floating
//!   types (`PtypFloating32/64`) as `f64`; 0.0 equals -0.0, and a NaN sorts beyond every
//!   number (at the end its sign bit picks) and equals only an identical NaN;
//! - `PtypCurrency`, `PtypFloatingTime`, `PtypTime` compare only with their own type;
//! - strings of either width compare case-insensitively (each character lower-cased, Unicode
//!   default mapping), as Outlook's table sorts and `Restrict` filters do; no further tie-break,
//!   so a stable sort keeps "a" and "A" in their input order;
//! - binaries (`PtypBinary`, `PtypServerId`) byte by byte, a prefix before the longer value;
//! - booleans false < true; GUIDs by their 16 wire bytes; `PtypNull` equals `PtypNull`;
//! - multi-valued values of the same element kind element by element, then by length;
//! - anything else (error values, objects, mixed kinds) is incomparable: `None`.
//!
//! In [`sort_rows`], a missing property sorts before every value in ascending order (after
//! them in descending order), as Exchange does. The MAPI `SSortOrder` reference says NULLs go
//! last; Outpost follows the server behaviour that clients observe.

use super::eval::{PropertySource, lookup};
use super::{SortDirection, SortOrderSet};
use crate::PropValue;
use std::borrow::Cow;
use std::cmp::Ordering;

/// Compares two values in MAPI order; `None` when they are not comparable.
pub fn compare_values(a: &PropValue, b: &PropValue) -> Option<Ordering> {
    use PropValue as V;
    if let (Some(x), Some(y)) = (integer(a), integer(b)) {
        return Some(x.cmp(&y));
    }
    if let (Some(x), Some(y)) = (number(a), number(b)) {
        return Some(compare_floats(x, y));
    }
    match (a, b) {
        (V::Null, V::Null) => Some(Ordering::Equal),
        (V::Currency(x), V::Currency(y)) => Some(x.cmp(y)),
        (V::FloatingTime(x), V::FloatingTime(y)) => Some(compare_floats(*x, *y)),
        (V::Boolean(x), V::Boolean(y)) => Some(x.cmp(y)),
        (V::Time(x), V::Time(y)) => Some(x.cmp(y)),
        (V::Guid(x), V::Guid(y)) => Some(x.to_le_bytes().cmp(&y.to_le_bytes())),
        (V::String(x) | V::String8(x), V::String(y) | V::String8(y)) => Some(compare_text(x, y)),
        (V::Binary(x) | V::ServerId(x), V::Binary(y) | V::ServerId(y)) => Some(x.cmp(y)),
        _ => {
            let (xs, ys) = (multi_elements(a)?, multi_elements(b)?);
            for (x, y) in xs.iter().zip(&ys) {
                match compare_values(x, y)? {
                    Ordering::Equal => {}
                    other => return Some(other),
                }
            }
            Some(xs.len().cmp(&ys.len()))
        }
    }
}

/// IEEE equality first, so that 0.0 == -0.0; `total_cmp` for the rest keeps NaN ordered.
fn compare_floats(x: f64, y: f64) -> Ordering {
    if x == y { Ordering::Equal } else { x.total_cmp(&y) }
}

/// Case-insensitive string order (each character lower-cased).
pub fn compare_text(a: &str, b: &str) -> Ordering {
    a.chars().flat_map(char::to_lowercase).cmp(b.chars().flat_map(char::to_lowercase))
}

fn integer(value: &PropValue) -> Option<i64> {
    match *value {
        PropValue::Integer16(v) => Some(i64::from(v)),
        PropValue::Integer32(v) => Some(i64::from(v)),
        PropValue::Integer64(v) => Some(v),
        _ => None,
    }
}

fn number(value: &PropValue) -> Option<f64> {
    match *value {
        PropValue::Floating32(v) => Some(f64::from(v)),
        PropValue::Floating64(v) => Some(v),
        // Integers meet floats only here; precision beyond 2^53 is lost, as in MAPI.
        _ => integer(value).map(|v| v as f64),
    }
}

/// The elements of a multi-valued value as single values; `None` for single-valued ones.
pub fn multi_elements(value: &PropValue) -> Option<Vec<PropValue>> {
    use PropValue as V;
    Some(match value {
        V::MultipleInteger16(v) => v.iter().map(|x| V::Integer16(*x)).collect(),
        V::MultipleInteger32(v) => v.iter().map(|x| V::Integer32(*x)).collect(),
        V::MultipleFloating32(v) => v.iter().map(|x| V::Floating32(*x)).collect(),
        V::MultipleFloating64(v) => v.iter().map(|x| V::Floating64(*x)).collect(),
        V::MultipleCurrency(v) => v.iter().map(|x| V::Currency(*x)).collect(),
        V::MultipleFloatingTime(v) => v.iter().map(|x| V::FloatingTime(*x)).collect(),
        V::MultipleInteger64(v) => v.iter().map(|x| V::Integer64(*x)).collect(),
        V::MultipleString8(v) => v.iter().map(|x| V::String8(x.clone())).collect(),
        V::MultipleString(v) => v.iter().map(|x| V::String(x.clone())).collect(),
        V::MultipleTime(v) => v.iter().map(|x| V::Time(*x)).collect(),
        V::MultipleGuid(v) => v.iter().map(|x| V::Guid(*x)).collect(),
        V::MultipleBinary(v) => v.iter().map(|x| V::Binary(x.clone())).collect(),
        _ => return None,
    })
}

/// Order of two optional sort keys: missing first, incomparable kinds by type code so that
/// the order stays total.
fn compare_keys(a: Option<&PropValue>, b: Option<&PropValue>) -> Ordering {
    match (a, b) {
        (None, None) => Ordering::Equal,
        (None, Some(_)) => Ordering::Less,
        (Some(_), None) => Ordering::Greater,
        (Some(x), Some(y)) => {
            compare_values(x, y).unwrap_or_else(|| x.prop_type().code().cmp(&y.prop_type().code()))
        }
    }
}

/// Where one effective sort key comes from.
#[derive(Clone, Copy)]
enum KeySource {
    /// The row's own value of sort entry `i`.
    Column(usize),
    /// The maximum (or minimum) of sort entry `i` over the row's category.
    Aggregate(usize),
}

/// Sorts rows by a sort order set, stably.
///
/// Ascending and descending keys compare with [`compare_values`], missing values first in
/// ascending order. A `MaxCategory`/`MinCategory` key orders the categories made by the keys
/// before it: rows are grouped by those keys, and each group is placed by the maximum (minimum)
/// of the key's column over the group, in the direction of the category key it follows; the
/// category key's own value breaks ties. An aggregate key with no key before it has no
/// category to order and sorts as an ascending key. A multi-value instance tag is looked up
/// as its multi-valued column and compared whole; expanding one row per value is the table's
/// job.
pub fn sort_rows<R: PropertySource>(rows: &mut [R], sorts: &SortOrderSet) {
    let order = sorted_order(rows, sorts);
    apply_permutation(rows, order);
}

fn is_aggregate(direction: SortDirection) -> bool {
    matches!(direction, SortDirection::MaxCategory | SortDirection::MinCategory)
}

fn sorted_order<R: PropertySource>(rows: &[R], sorts: &SortOrderSet) -> Vec<usize> {
    let entries = &sorts.sorts;
    let columns: Vec<Vec<Option<Cow<'_, PropValue>>>> = rows
        .iter()
        .map(|row| entries.iter().map(|entry| lookup(row, entry.tag)).collect())
        .collect();

    // The effective keys, each with its descending flag.
    let mut plan: Vec<(KeySource, bool)> = Vec::new();
    for (i, entry) in entries.iter().enumerate() {
        let descending = entry.direction == SortDirection::Descending;
        if is_aggregate(entry.direction) && i > 0 {
            continue;
        }
        if entries.get(i + 1).is_some_and(|next| is_aggregate(next.direction)) {
            plan.push((KeySource::Aggregate(i + 1), descending));
        }
        plan.push((KeySource::Column(i), descending));
    }

    // Aggregates per row, for each aggregate entry (indexed by entry).
    let mut aggregates: Vec<Vec<Option<PropValue>>> = vec![Vec::new(); entries.len()];
    for (j, entry) in entries.iter().enumerate().skip(1) {
        if !is_aggregate(entry.direction) {
            continue;
        }
        let prefix: Vec<usize> = (0..j).filter(|&k| !is_aggregate(entries[k].direction)).collect();
        let same_category = |a: usize, b: usize| {
            prefix.iter().all(|&k| {
                compare_keys(columns[a][k].as_deref(), columns[b][k].as_deref()) == Ordering::Equal
            })
        };
        let mut by_category: Vec<usize> = (0..rows.len()).collect();
        by_category.sort_by(|&a, &b| {
            prefix
                .iter()
                .map(|&k| compare_keys(columns[a][k].as_deref(), columns[b][k].as_deref()))
                .find(|o| o.is_ne())
                .unwrap_or(Ordering::Equal)
        });
        let mut values = vec![None; rows.len()];
        let mut start = 0;
        while start < by_category.len() {
            let mut end = start + 1;
            while end < by_category.len() && same_category(by_category[start], by_category[end]) {
                end += 1;
            }
            let members = &by_category[start..end];
            let pick =
                members.iter().filter_map(|&r| columns[r][j].as_deref()).reduce(|best, v| {
                    let ord = compare_keys(Some(v), Some(best));
                    let better = match entry.direction {
                        SortDirection::MaxCategory => ord.is_gt(),
                        _ => ord.is_lt(),
                    };
                    if better { v } else { best }
                });
            for &r in members {
                values[r] = pick.cloned();
            }
            start = end;
        }
        aggregates[j] = values;
    }

    let mut order: Vec<usize> = (0..rows.len()).collect();
    order.sort_by(|&a, &b| {
        for &(source, descending) in &plan {
            let ord = match source {
                KeySource::Column(i) => {
                    compare_keys(columns[a][i].as_deref(), columns[b][i].as_deref())
                }
                KeySource::Aggregate(j) => {
                    compare_keys(aggregates[j][a].as_ref(), aggregates[j][b].as_ref())
                }
            };
            let ord = if descending { ord.reverse() } else { ord };
            if ord.is_ne() {
                return ord;
            }
        }
        Ordering::Equal
    });
    order
}

/// Reorders `rows` so that position `i` holds what was at `order[i]`.
fn apply_permutation<R>(rows: &mut [R], mut order: Vec<usize>) {
    for start in 0..order.len() {
        let mut current = start;
        // Follow the cycle through `start`, marking visited slots with their own index.
        while order[current] != start {
            let next = order[current];
            rows.swap(current, next);
            order[current] = current;
            current = next;
        }
        order[current] = current;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn integers_compare_across_widths() {
        assert_eq!(
            compare_values(&PropValue::Integer16(5), &PropValue::Integer64(7)),
            Some(Ordering::Less)
        );
        assert_eq!(
            compare_values(&PropValue::Integer32(3), &PropValue::Floating64(2.5)),
            Some(Ordering::Greater)
        );
    }

    #[test]
    fn strings_compare_without_case_across_widths() {
        assert_eq!(
            compare_values(&PropValue::String("apple".into()), &PropValue::String8("APPLE".into())),
            Some(Ordering::Equal)
        );
        assert_eq!(compare_text("Zebra", "apple"), Ordering::Greater);
    }

    #[test]
    fn binary_is_lexicographic_then_shorter_first() {
        let v = |b: &[u8]| PropValue::Binary(b.to_vec());
        assert_eq!(compare_values(&v(&[1, 2]), &v(&[1, 3])), Some(Ordering::Less));
        assert_eq!(compare_values(&v(&[1, 2]), &v(&[1, 2, 0])), Some(Ordering::Less));
        assert_eq!(compare_values(&v(&[2]), &v(&[1, 9, 9])), Some(Ordering::Greater));
    }

    #[test]
    fn mixed_kinds_and_errors_are_incomparable() {
        assert_eq!(compare_values(&PropValue::Integer32(1), &PropValue::String("1".into())), None);
        let err = PropValue::Error(crate::ErrorCode::NotFound);
        assert_eq!(compare_values(&err, &err), None);
        assert_eq!(
            compare_values(&PropValue::Currency(10_000), &PropValue::Integer64(10_000)),
            None
        );
    }

    #[test]
    fn negative_zero_equals_zero() {
        assert_eq!(
            compare_values(&PropValue::Floating64(-0.0), &PropValue::Integer32(0)),
            Some(Ordering::Equal)
        );
    }

    #[test]
    fn booleans_and_multi_values_order() {
        assert_eq!(
            compare_values(&PropValue::Boolean(false), &PropValue::Boolean(true)),
            Some(Ordering::Less)
        );
        let a = PropValue::MultipleInteger32(vec![1, 2]);
        let b = PropValue::MultipleInteger32(vec![1, 2, 0]);
        assert_eq!(compare_values(&a, &b), Some(Ordering::Less));
    }

    #[test]
    fn permutation_is_applied_in_place() {
        let mut rows = vec!['a', 'b', 'c', 'd'];
        apply_permutation(&mut rows, vec![2, 0, 3, 1]);
        assert_eq!(rows, ['c', 'a', 'd', 'b']);
    }
}
