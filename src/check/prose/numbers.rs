//! Reading a typed figure and deciding whether it agrees with a value (the SPEC §3 table).

use super::*;

/// Whether the records' value p/q agrees with the typed `n` read as `approx` (SPEC §3 table).
/// `exact` is a plain whole count, which must be equal. `None` when the numbers are too large
/// to compare.
pub(super) fn agrees(p: u128, q: u128, n: Dec, approx: Approx, exact: bool) -> Option<bool> {
    let p = i128::try_from(p).ok()?;
    let q = i128::try_from(q).ok()?;
    let cmp = |d: Dec| cmp_fraction(p, q, d);
    // The place of N's last non-zero digit.
    let (mut sm, mut se) = (n.m, n.e);
    while sm != 0 && sm % 10 == 0 {
        sm /= 10;
        se += 1;
    }
    Some(match approx {
        Approx::Plain if exact => cmp(n)? == Ordering::Equal,
        // Rounds half up to the typed place: N − ½ ≤ v < N + ½ in units of that place.
        Approx::Plain => {
            cmp(Dec {
                m: 10 * n.m - 5,
                e: n.e - 1,
            })? != Ordering::Less
                && cmp(Dec {
                    m: 10 * n.m + 5,
                    e: n.e - 1,
                })? == Ordering::Less
        }
        Approx::Over => {
            cmp(n)? == Ordering::Greater && cmp(Dec { m: sm + 1, e: se })? == Ordering::Less
        }
        Approx::Near => {
            cmp(Dec {
                m: 9 * n.m,
                e: n.e - 1,
            })? != Ordering::Less
                && cmp(n)? == Ordering::Less
        }
        Approx::About => {
            cmp(Dec {
                m: 10 * sm - 5,
                e: se - 1,
            })? == Ordering::Greater
                && cmp(Dec {
                    m: 10 * sm + 5,
                    e: se - 1,
                })? == Ordering::Less
        }
    })
}

/// p/q compared with `d`, exactly, in integers.
pub(super) fn cmp_fraction(p: i128, q: i128, d: Dec) -> Option<Ordering> {
    let pow = |e: i32| 10i128.checked_pow(e.unsigned_abs());
    let (lhs, rhs) = if d.e >= 0 {
        (p, d.m.checked_mul(pow(d.e)?)?.checked_mul(q)?)
    } else {
        (p.checked_mul(pow(d.e)?)?, d.m.checked_mul(q)?)
    };
    Some(lhs.cmp(&rhs))
}

/// Significant digits of `n` once its trailing zeros are cut (1830 → 3, 1800 → 2).
pub(super) fn significant_digits(mut n: u128) -> u32 {
    while n != 0 && n.is_multiple_of(10) {
        n /= 10;
    }
    n.checked_ilog10().map_or(1, |l| l + 1)
}

/// A number at the start of `s`: digits (ASCII or full-width, `1,350` grouping) and an optional
/// decimal part. Gives (digits without the point, decimals, byte length).
pub(super) fn read_number(s: &str) -> Option<(u128, u32, usize)> {
    let mut value: u128 = 0;
    let mut count = 0u32;
    let mut decimals = 0u32;
    let mut in_fraction = false;
    let mut end = 0;
    for (i, c) in s.char_indices() {
        if let Some(d) = digit(c) {
            count += 1;
            // More digits than any count has: not a figure we can compare.
            if count > 30 {
                return None;
            }
            value = value * 10 + u128::from(d);
            decimals += u32::from(in_fraction);
            end = i + c.len_utf8();
            continue;
        }
        let follows = |n: usize| {
            s[i + c.len_utf8()..]
                .chars()
                .take(n)
                .filter(|&c| digit(c).is_some())
                .count()
        };
        if c == ',' && !in_fraction && count > 0 && follows(3) == 3 {
            // `1,350`: a group of exactly three digits, not `1,3500`.
            let after = s[i + 1..].chars().nth(3);
            if after.is_none_or(|c| digit(c).is_none()) {
                continue;
            }
        }
        if (c == '.' || c == '．') && !in_fraction && count > 0 && follows(1) == 1 {
            in_fraction = true;
            continue;
        }
        break;
    }
    (count > 0).then_some((value, decimals, end))
}

/// The value of an ASCII or full-width digit.
pub(super) fn digit(c: char) -> Option<u8> {
    match c {
        '0'..='9' => Some(c as u8 - b'0'),
        '０'..='９' => Some((c as u32 - '０' as u32) as u8),
        _ => None,
    }
}
