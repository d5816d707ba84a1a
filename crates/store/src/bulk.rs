//! Many rows in one statement, for writers that bring in many records at
//! once (imports): `INSERT ... VALUES (...), (...)` and `... IN (...)`
//! lists, cut into statements under both backends' limits on bound
//! parameters. Every value is bound, never formatted in; the only text
//! built here is the placeholders.
//!
//! On PostgreSQL the placeholders are numbered (`$1`, `$2`, ...). On SQLite
//! they are anonymous (`?`), bound in order: SQLite finds a numbered
//! parameter's name by walking a list of all of them, and the driver asks
//! for every parameter's name as it binds, so a statement of a thousand
//! numbered parameters costs half a million steps before it runs — most of
//! an import's time — where anonymous ones cost nothing.

use sqlx::Any;
use sqlx::any::{AnyArguments, AnyRow};
use sqlx::query::Query;

use crate::{StoreError, Tx};

/// The most parameters one statement binds (SQLite allows 32,766 and
/// PostgreSQL 65,535).
const MAX_PARAMETERS: usize = 30_000;

/// The most rows one statement writes.
const MAX_ROWS: usize = 128;

/// A query being bound.
pub(crate) type Bound<'q> = Query<'q, Any, AnyArguments<'q>>;

/// How a backend writes placeholders.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Placeholders {
    /// `$1`, `$2`, ... (PostgreSQL).
    Numbered,
    /// `?`, bound in order (SQLite).
    Anonymous,
}

impl Placeholders {
    /// The style the connection behind `tx` understands.
    fn of(tx: &mut Tx) -> Self {
        if tx.backend_name() == <sqlx::Sqlite as sqlx::Database>::NAME {
            Placeholders::Anonymous
        } else {
            Placeholders::Numbered
        }
    }

    /// Writes the `n`th (from 1) placeholder.
    fn push(self, out: &mut String, n: usize) {
        match self {
            Placeholders::Numbered => {
                out.push('$');
                out.push_str(&n.to_string());
            }
            Placeholders::Anonymous => out.push('?'),
        }
    }
}

/// `($1, $2), ($3, $4)`: `rows` tuples of `columns` placeholders.
fn tuples(style: Placeholders, rows: usize, columns: usize) -> String {
    let mut out = String::with_capacity(rows * columns * 6);
    for r in 0..rows {
        if r > 0 {
            out.push_str(", ");
        }
        out.push('(');
        for c in 0..columns {
            if c > 0 {
                out.push_str(", ");
            }
            style.push(&mut out, r * columns + c + 1);
        }
        out.push(')');
    }
    out
}

/// How many rows of `columns` values go in one statement.
fn chunk(columns: usize) -> usize {
    (MAX_PARAMETERS / columns.max(1)).clamp(1, MAX_ROWS)
}

/// The sizes `n` rows are cut into: as many of `max` as fit, then powers
/// of two. So a table's statements take a handful of shapes, each prepared
/// once and then found in the connection's statement cache, whatever the
/// batches hold.
fn parts(mut n: usize, max: usize) -> Vec<usize> {
    let max = if max.is_power_of_two() {
        max
    } else {
        max.next_power_of_two() / 2
    };
    let mut out = Vec::new();
    while n > 0 {
        let size = if n >= max {
            max
        } else {
            1 << (usize::BITS - 1 - n.leading_zeros())
        };
        out.push(size);
        n -= size;
    }
    out
}

/// `rows` cut as [`parts`] says.
fn split<T>(rows: &[T], max: usize) -> Vec<&[T]> {
    let mut rest = rows;
    parts(rows.len(), max)
        .into_iter()
        .map(|size| {
            let (part, tail) = rest.split_at(size);
            rest = tail;
            part
        })
        .collect()
}

/// Runs `before (...), (...) after` for `rows`, `bind` binding one row's
/// `columns` values in order; as many statements as the limits need, in
/// the rows' order. Returns the rows affected.
pub(crate) async fn values<T>(
    tx: &mut Tx,
    before: &str,
    columns: usize,
    after: &str,
    rows: &[T],
    bind: impl for<'q> Fn(Bound<'q>, &'q T) -> Bound<'q>,
) -> Result<u64, StoreError> {
    let style = Placeholders::of(tx);
    let mut affected = 0;
    for part in split(rows, chunk(columns)) {
        let sql = format!("{before} {} {after}", tuples(style, part.len(), columns));
        let mut query = sqlx::query(&sql);
        for row in part {
            query = bind(query, row);
        }
        affected += query.execute(&mut **tx).await?.rows_affected();
    }
    Ok(affected)
}

/// The rows of `sql`, whose `{in}` is replaced by a list of placeholders
/// for `keys` (bound in order; as many statements as the limits need).
pub(crate) async fn fetch_in<K>(
    tx: &mut Tx,
    sql: &str,
    keys: &[K],
    bind: impl for<'q> Fn(Bound<'q>, &'q K) -> Bound<'q>,
) -> Result<Vec<AnyRow>, StoreError> {
    let style = Placeholders::of(tx);
    let mut out = Vec::new();
    for part in split(keys, MAX_ROWS) {
        let mut list = String::new();
        for n in 1..=part.len() {
            if n > 1 {
                list.push_str(", ");
            }
            style.push(&mut list, n);
        }
        let sql = sql.replace("{in}", &list);
        let mut query = sqlx::query(&sql);
        for key in part {
            query = bind(query, key);
        }
        out.extend(query.fetch_all(&mut **tx).await?);
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    #[test]
    fn placeholders_are_numbered_row_by_row() {
        use super::Placeholders::{Anonymous, Numbered};
        assert_eq!(super::tuples(Numbered, 2, 3), "($1, $2, $3), ($4, $5, $6)");
        assert_eq!(super::tuples(Anonymous, 2, 2), "(?, ?), (?, ?)");
        assert_eq!(super::chunk(12), 128);
        assert_eq!(super::chunk(20_000), 1);
        assert_eq!(super::parts(300, 128), [128, 128, 32, 8, 4]);
        assert_eq!(super::parts(5, 100), [4, 1]);
        assert!(super::parts(0, 128).is_empty());
        let rows: Vec<usize> = (0..13).collect();
        let cut = super::split(&rows, 4);
        assert_eq!(
            cut.iter().map(|p| p.len()).collect::<Vec<_>>(),
            [4, 4, 4, 1]
        );
        assert_eq!(cut.concat(), rows, "in order, each row once");
    }
}
