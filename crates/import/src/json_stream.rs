//! A JSON array read one element at a time, so a file of any size is read
//! in the memory of its largest element.

use std::fmt;
use std::io::Read;
use std::ops::ControlFlow;

use serde::de::{Deserializer, SeqAccess, Visitor};
use serde_json::Value;

struct Each<'f, F> {
    each: &'f mut F,
    count: u64,
    stopped: &'f mut bool,
}

impl<'de, F: FnMut(u64, Value) -> ControlFlow<()>> Visitor<'de> for Each<'_, F> {
    type Value = u64;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON array")
    }

    fn visit_seq<A: SeqAccess<'de>>(mut self, mut seq: A) -> Result<u64, A::Error> {
        while let Some(value) = seq.next_element::<Value>()? {
            self.count += 1;
            if (self.each)(self.count, value).is_break() {
                *self.stopped = true;
                break;
            }
        }
        Ok(self.count)
    }
}

/// Calls `each` with the 1-based index and value of every element of the
/// array `reader` holds; returns how many there were. A syntax error stops
/// the reading (it carries its line and column).
pub(crate) fn for_each<R: Read>(
    reader: R,
    mut each: impl FnMut(u64, Value) -> ControlFlow<()>,
) -> Result<u64, serde_json::Error> {
    let mut de = serde_json::Deserializer::from_reader(std::io::BufReader::new(reader));
    let mut stopped = false;
    let mut count = 0;
    let result = de.deserialize_seq(Each {
        each: &mut |i, v| {
            count = i;
            each(i, v)
        },
        count: 0,
        stopped: &mut stopped,
    });
    match result {
        // Stopping early leaves the rest unread, which is not an error.
        Err(_) if stopped => Ok(count),
        other => other,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn elements_come_one_by_one_and_errors_have_lines() {
        let mut seen = Vec::new();
        let n = for_each(&b"[1, {\"a\": 2}, \"x\"]"[..], |i, v| {
            seen.push((i, v));
            ControlFlow::Continue(())
        })
        .unwrap();
        assert_eq!(n, 3);
        assert_eq!(seen[1].1["a"], 2);
        let err = for_each(&b"[1,\n2,\n{"[..], |_, _| ControlFlow::Continue(())).unwrap_err();
        assert_eq!(err.line(), 3);
        let mut count = 0;
        for_each(&b"[1,2,3]"[..], |_, _| {
            count += 1;
            ControlFlow::Break(())
        })
        .unwrap();
        assert_eq!(count, 1);
    }
}
