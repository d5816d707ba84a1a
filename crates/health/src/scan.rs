//! A scanner for one line of the activity log: a flat JSON object whose
//! known fields are strings, small integers or `null`. It borrows strings
//! without escapes, decodes those with escapes, skips unknown fields of any
//! JSON type, and rejects whatever is not JSON. Hand-written because the
//! reader runs it tens of millions of times.

use std::borrow::Cow;

/// The contract's fields of one line, as found (absent and `null` alike).
#[derive(Debug, Default, PartialEq, Eq)]
pub struct RawLine<'a> {
    pub at: Option<Cow<'a, str>>,
    pub community: Option<Cow<'a, str>>,
    pub actor: Option<Cow<'a, str>>,
    pub kind: Option<Cow<'a, str>>,
    pub subject: Option<Cow<'a, str>>,
    pub reply_to: Option<Cow<'a, str>>,
    pub team: Option<Cow<'a, str>>,
    pub reply_to_team: Option<Cow<'a, str>>,
    pub thread_type: Option<Cow<'a, str>>,
    pub response: Option<Cow<'a, str>>,
    pub value: Option<i64>,
    pub review_days: Option<i64>,
}

struct Cursor<'a> {
    /// The whole line, validated as UTF-8 once.
    text: &'a str,
    bytes: &'a [u8],
    at: usize,
}

type Scan<T> = Result<T, String>;

impl<'a> Cursor<'a> {
    fn peek(&self) -> Option<u8> {
        self.bytes.get(self.at).copied()
    }

    fn skip_ws(&mut self) {
        while let Some(b' ' | b'\t' | b'\n' | b'\r') = self.peek() {
            self.at += 1;
        }
    }

    fn expect(&mut self, byte: u8) -> Scan<()> {
        self.skip_ws();
        if self.peek() == Some(byte) {
            self.at += 1;
            Ok(())
        } else {
            Err(self.error(&format!("expected `{}`", byte as char)))
        }
    }

    fn error(&self, what: &str) -> String {
        format!("{what} at column {}", self.at + 1)
    }

    /// Moves to the next `"`, `\\` or control byte, eight bytes at a time.
    fn skip_plain(&mut self) {
        const ONES: u64 = 0x0101_0101_0101_0101;
        const HIGH: u64 = 0x8080_8080_8080_8080;
        let zero_byte = |v: u64| v.wrapping_sub(ONES) & !v & HIGH;
        while let Some(chunk) = self.bytes.get(self.at..self.at + 8) {
            let w = u64::from_le_bytes(chunk.try_into().expect("eight bytes"));
            let quote = zero_byte(w ^ (ONES * u64::from(b'"')));
            let backslash = zero_byte(w ^ (ONES * u64::from(b'\\')));
            let control = w.wrapping_sub(ONES * 0x20) & !w & HIGH;
            let found = quote | backslash | control;
            if found != 0 {
                // The lowest flagged byte is exact (borrows only run upwards).
                self.at += (found.trailing_zeros() / 8) as usize;
                return;
            }
            self.at += 8;
        }
    }

    /// A string; the cursor is on its opening quote.
    fn string(&mut self) -> Scan<Cow<'a, str>> {
        self.at += 1;
        let start = self.at;
        self.skip_plain();
        loop {
            match self.peek() {
                None => return Err(self.error("unterminated string")),
                Some(b'"') => {
                    // Quotes are ASCII, so both ends are character boundaries.
                    let text = &self.text[start..self.at];
                    self.at += 1;
                    return Ok(Cow::Borrowed(text));
                }
                Some(b'\\') => return self.escaped(start).map(Cow::Owned),
                Some(0..0x20) => return Err(self.error("control character in string")),
                Some(_) => self.at += 1,
            }
        }
    }

    fn hex4(&mut self) -> Scan<u32> {
        let digits = self
            .bytes
            .get(self.at..self.at + 4)
            .ok_or_else(|| self.error("short \\u escape"))?;
        let text = std::str::from_utf8(digits).map_err(|_| self.error("bad \\u escape"))?;
        let value = u32::from_str_radix(text, 16).map_err(|_| self.error("bad \\u escape"))?;
        self.at += 4;
        Ok(value)
    }

    /// The rest of a string with escapes, from `start` (after the quote).
    fn escaped(&mut self, start: usize) -> Scan<String> {
        let mut out: Vec<u8> = self.bytes[start..self.at].to_vec();
        loop {
            match self.peek() {
                None => return Err(self.error("unterminated string")),
                Some(b'"') => {
                    self.at += 1;
                    return String::from_utf8(out).map_err(|_| self.error("invalid escape"));
                }
                Some(b'\\') => {
                    self.at += 1;
                    let c = self
                        .peek()
                        .ok_or_else(|| self.error("unterminated escape"))?;
                    self.at += 1;
                    let simple = match c {
                        b'"' => Some(b'"'),
                        b'\\' => Some(b'\\'),
                        b'/' => Some(b'/'),
                        b'b' => Some(8),
                        b'f' => Some(12),
                        b'n' => Some(b'\n'),
                        b'r' => Some(b'\r'),
                        b't' => Some(b'\t'),
                        b'u' => None,
                        _ => return Err(self.error("bad escape")),
                    };
                    if let Some(b) = simple {
                        out.push(b);
                        continue;
                    }
                    let mut code = self.hex4()?;
                    if (0xD800..0xDC00).contains(&code) {
                        if self.bytes.get(self.at..self.at + 2) != Some(b"\\u") {
                            return Err(self.error("lone surrogate"));
                        }
                        self.at += 2;
                        let low = self.hex4()?;
                        if !(0xDC00..0xE000).contains(&low) {
                            return Err(self.error("lone surrogate"));
                        }
                        code = 0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00);
                    }
                    let ch = char::from_u32(code).ok_or_else(|| self.error("lone surrogate"))?;
                    let mut buf = [0u8; 4];
                    out.extend_from_slice(ch.encode_utf8(&mut buf).as_bytes());
                }
                Some(0..0x20) => return Err(self.error("control character in string")),
                Some(b) => {
                    out.push(b);
                    self.at += 1;
                }
            }
        }
    }

    /// A JSON number; returns it as an integer when it is one.
    fn number(&mut self) -> Scan<Option<i64>> {
        let start = self.at;
        if self.peek() == Some(b'-') {
            self.at += 1;
        }
        let int_start = self.at;
        while self.peek().is_some_and(|b| b.is_ascii_digit()) {
            self.at += 1;
        }
        let int_len = self.at - int_start;
        if int_len == 0 || (int_len > 1 && self.bytes[int_start] == b'0') {
            return Err(self.error("bad number"));
        }
        let mut integral = true;
        if self.peek() == Some(b'.') {
            integral = false;
            self.at += 1;
            let from = self.at;
            while self.peek().is_some_and(|b| b.is_ascii_digit()) {
                self.at += 1;
            }
            if self.at == from {
                return Err(self.error("bad number"));
            }
        }
        if let Some(b'e' | b'E') = self.peek() {
            integral = false;
            self.at += 1;
            if let Some(b'+' | b'-') = self.peek() {
                self.at += 1;
            }
            let from = self.at;
            while self.peek().is_some_and(|b| b.is_ascii_digit()) {
                self.at += 1;
            }
            if self.at == from {
                return Err(self.error("bad number"));
            }
        }
        if !integral {
            return Ok(None);
        }
        let text = std::str::from_utf8(&self.bytes[start..self.at])
            .map_err(|_| self.error("bad number"))?;
        Ok(text.parse().ok())
    }

    fn literal(&mut self, word: &[u8]) -> Scan<()> {
        if self.bytes[self.at..].starts_with(word) {
            self.at += word.len();
            Ok(())
        } else {
            Err(self.error("unexpected token"))
        }
    }

    /// Skips any JSON value (for unknown fields).
    fn skip_value(&mut self, depth: u32) -> Scan<()> {
        if depth > 64 {
            return Err(self.error("nested too deeply"));
        }
        self.skip_ws();
        match self.peek() {
            Some(b'"') => self.string().map(drop),
            Some(b'-' | b'0'..=b'9') => self.number().map(drop),
            Some(b'n') => self.literal(b"null"),
            Some(b't') => self.literal(b"true"),
            Some(b'f') => self.literal(b"false"),
            Some(open @ (b'[' | b'{')) => {
                let close = if open == b'[' { b']' } else { b'}' };
                self.at += 1;
                self.skip_ws();
                if self.peek() == Some(close) {
                    self.at += 1;
                    return Ok(());
                }
                loop {
                    if open == b'{' {
                        self.skip_ws();
                        if self.peek() != Some(b'"') {
                            return Err(self.error("expected a key"));
                        }
                        self.string()?;
                        self.expect(b':')?;
                    }
                    self.skip_value(depth + 1)?;
                    self.skip_ws();
                    match self.peek() {
                        Some(b',') => self.at += 1,
                        Some(b) if b == close => {
                            self.at += 1;
                            return Ok(());
                        }
                        _ => return Err(self.error("expected `,` or a closing bracket")),
                    }
                }
            }
            _ => Err(self.error("expected a value")),
        }
    }

    /// A string or `null` for a known field.
    fn text_field(&mut self, name: &str) -> Scan<Option<Cow<'a, str>>> {
        match self.peek() {
            Some(b'"') => self.string().map(Some),
            Some(b'n') => self.literal(b"null").map(|()| None),
            _ => Err(self.error(&format!("`{name}` must be a string or null"))),
        }
    }

    /// An integer or `null` for a known field.
    fn integer_field(&mut self, name: &str) -> Scan<Option<i64>> {
        match self.peek() {
            Some(b'n') => self.literal(b"null").map(|()| None),
            Some(b'-' | b'0'..=b'9') => self
                .number()?
                .map(Some)
                .ok_or_else(|| self.error(&format!("`{name}` must be an integer"))),
            _ => Err(self.error(&format!("`{name}` must be an integer or null"))),
        }
    }
}

const ONES: u64 = 0x0101_0101_0101_0101;
const LOW7: u64 = 0x7f7f_7f7f_7f7f_7f7f;
const HIGH: u64 = 0x8080_8080_8080_8080;

/// The high bit of each byte of `w` that is below `n` (`n` ≤ 0x80); exact,
/// byte by byte.
fn bytes_below(w: u64, n: u8) -> u64 {
    !(((w & LOW7) + ONES * u64::from(0x80 - n)) | w) & HIGH
}

/// The high bit of each byte of `w` equal to `byte`; exact.
fn bytes_equal(w: u64, byte: u8) -> u64 {
    bytes_below(w ^ (ONES * u64::from(byte)), 1)
}

/// Most quotes a line of the common shape has (twelve fields, four quotes
/// each); a line with more goes to the full scanner.
const MAX_QUOTES: usize = 64;

/// The common shape of a line: no whitespace outside strings, only the
/// contract's keys, strings without escapes or control characters,
/// integers without fraction or exponent, `null`, and at most a line end
/// after the closing brace. `None` means "not that shape": the caller then
/// runs [`scan_line`], which accepts or rejects the line and says why, so
/// this path never changes what is accepted or what an error says.
///
/// Without escapes every `"` opens or closes a string, so the quotes are
/// found first, eight bytes at a time, and the line is then walked from
/// quote to quote.
pub fn scan_common(bytes: &[u8]) -> Option<RawLine<'_>> {
    let end = match bytes {
        [.., b'\r', b'\n'] => bytes.len() - 2,
        [.., b'\n'] => bytes.len() - 1,
        _ => bytes.len(),
    };
    let line = &bytes[..end];
    // Whole-line UTF-8 check, as the full scanner does.
    let text = std::str::from_utf8(line).ok()?;
    let mut quotes = [0usize; MAX_QUOTES];
    let mut count = 0;
    let mut words = line.chunks_exact(8);
    let mut base = 0;
    for word in &mut words {
        let w = u64::from_le_bytes(word.try_into().expect("eight bytes"));
        if bytes_equal(w, b'\\') | bytes_below(w, 0x20) != 0 {
            return None;
        }
        let mut found = bytes_equal(w, b'"');
        while found != 0 {
            *quotes.get_mut(count)? = base + (found.trailing_zeros() / 8) as usize;
            count += 1;
            found &= found - 1;
        }
        base += 8;
    }
    for (i, &b) in words.remainder().iter().enumerate() {
        match b {
            b'"' => {
                *quotes.get_mut(count)? = base + i;
                count += 1;
            }
            b'\\' | 0..0x20 => return None,
            _ => {}
        }
    }
    let quotes = &quotes[..count];

    let mut line_fields = RawLine::default();
    let mut q = 0;
    let mut at = 1;
    if line.first() != Some(&b'{') {
        return None;
    }
    loop {
        // A key: `"name":`, its quotes the next two.
        let (&open, &close) = (quotes.get(q)?, quotes.get(q + 1)?);
        if open != at || line.get(close + 1) != Some(&b':') {
            return None;
        }
        q += 2;
        at = close + 2;
        let key = &line[open + 1..close];
        let value = match line.get(at)? {
            b'"' => {
                let (&open, &close) = (quotes.get(q)?, quotes.get(q + 1)?);
                if open != at {
                    return None;
                }
                q += 2;
                at = close + 1;
                Value::Text(&text[open + 1..close])
            }
            b'n' => {
                if line.get(at..at + 4) != Some(b"null") {
                    return None;
                }
                at += 4;
                Value::Null
            }
            _ => {
                let (number, next) = plain_integer(line, at)?;
                at = next;
                Value::Integer(number)
            }
        };
        // Slice patterns compare bytes in place (no call to `memcmp`).
        let slot = match key {
            [b'a', b't'] => &mut line_fields.at,
            [b'c', b'o', b'm', b'm', b'u', b'n', b'i', b't', b'y'] => &mut line_fields.community,
            [b'a', b'c', b't', b'o', b'r'] => &mut line_fields.actor,
            [b'k', b'i', b'n', b'd'] => &mut line_fields.kind,
            [b's', b'u', b'b', b'j', b'e', b'c', b't'] => &mut line_fields.subject,
            [b'r', b'e', b'p', b'l', b'y', b'_', b't', b'o'] => &mut line_fields.reply_to,
            [b't', b'e', b'a', b'm'] => &mut line_fields.team,
            [
                b'r',
                b'e',
                b'p',
                b'l',
                b'y',
                b'_',
                b't',
                b'o',
                b'_',
                b't',
                b'e',
                b'a',
                b'm',
            ] => &mut line_fields.reply_to_team,
            [
                b't',
                b'h',
                b'r',
                b'e',
                b'a',
                b'd',
                b'_',
                b't',
                b'y',
                b'p',
                b'e',
            ] => &mut line_fields.thread_type,
            [b'r', b'e', b's', b'p', b'o', b'n', b's', b'e'] => &mut line_fields.response,
            [b'v', b'a', b'l', b'u', b'e'] => {
                line_fields.value = value.integer()?;
                &mut None
            }
            [
                b'r',
                b'e',
                b'v',
                b'i',
                b'e',
                b'w',
                b'_',
                b'd',
                b'a',
                b'y',
                b's',
            ] => {
                line_fields.review_days = value.integer()?;
                &mut None
            }
            _ => return None,
        };
        match value {
            Value::Text(text) => *slot = Some(Cow::Borrowed(text)),
            Value::Null => *slot = None,
            // A number: fine for `value` and `review_days` (already set);
            // for a string field the full scanner gives the error.
            Value::Integer(_) => {
                if !matches!(key, b"value" | b"review_days") {
                    return None;
                }
            }
        }
        match line.get(at)? {
            b',' => at += 1,
            b'}' => {
                return (at + 1 == line.len() && q == quotes.len()).then_some(line_fields);
            }
            _ => return None,
        }
    }
}

/// A value of the common shape.
#[derive(Clone, Copy)]
enum Value<'a> {
    Text(&'a str),
    Null,
    Integer(i64),
}

impl Value<'_> {
    /// As an integer field: a number or `null`; `None` for a string.
    fn integer(self) -> Option<Option<i64>> {
        match self {
            Value::Integer(n) => Some(Some(n)),
            Value::Null => Some(None),
            Value::Text(_) => None,
        }
    }
}

/// An integer of at most 18 digits without fraction or exponent at `at`,
/// and where it ends; `None` for anything else (including a bad number).
fn plain_integer(line: &[u8], mut at: usize) -> Option<(i64, usize)> {
    let negative = line.get(at) == Some(&b'-');
    if negative {
        at += 1;
    }
    let start = at;
    let mut value = 0i64;
    while let Some(&b @ b'0'..=b'9') = line.get(at) {
        value = value * 10 + i64::from(b - b'0');
        at += 1;
    }
    let digits = at - start;
    if digits == 0 || digits > 18 || (digits > 1 && line[start] == b'0') {
        return None;
    }
    if let Some(b'.' | b'e' | b'E') = line.get(at) {
        return None;
    }
    Some((if negative { -value } else { value }, at))
}

/// Scans one line. `Err` carries a description of what is not JSON (or not
/// the right JSON type for a known field).
pub fn scan_line(bytes: &[u8]) -> Result<RawLine<'_>, String> {
    let text = std::str::from_utf8(bytes)
        .map_err(|e| format!("invalid UTF-8 at column {}", e.valid_up_to() + 1))?;
    let mut c = Cursor { text, bytes, at: 0 };
    let mut line = RawLine::default();
    c.expect(b'{')?;
    c.skip_ws();
    if c.peek() == Some(b'}') {
        c.at += 1;
    } else {
        loop {
            c.skip_ws();
            if c.peek() != Some(b'"') {
                return Err(c.error("expected a key"));
            }
            let key = c.string()?;
            c.expect(b':')?;
            c.skip_ws();
            match key.as_ref() {
                "at" => line.at = c.text_field("at")?,
                "community" => line.community = c.text_field("community")?,
                "actor" => line.actor = c.text_field("actor")?,
                "kind" => line.kind = c.text_field("kind")?,
                "subject" => line.subject = c.text_field("subject")?,
                "reply_to" => line.reply_to = c.text_field("reply_to")?,
                "team" => line.team = c.text_field("team")?,
                "reply_to_team" => line.reply_to_team = c.text_field("reply_to_team")?,
                "thread_type" => line.thread_type = c.text_field("thread_type")?,
                "response" => line.response = c.text_field("response")?,
                "value" => line.value = c.integer_field("value")?,
                "review_days" => line.review_days = c.integer_field("review_days")?,
                _ => c.skip_value(0)?,
            }
            c.skip_ws();
            match c.peek() {
                Some(b',') => c.at += 1,
                Some(b'}') => {
                    c.at += 1;
                    break;
                }
                _ => return Err(c.error("expected `,` or `}`")),
            }
        }
    }
    c.skip_ws();
    if c.at != bytes.len() {
        return Err(c.error("trailing characters"));
    }
    Ok(line)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn borrows_plain_strings_and_decodes_escapes() {
        let line =
            scan_line(br#" {"at":"x","actor":"a\"b\u00e9\ud83d\ude00","value":3,"team":null} "#)
                .unwrap();
        assert!(matches!(line.at, Some(Cow::Borrowed("x"))));
        assert_eq!(line.actor.as_deref(), Some("a\"bé😀"));
        assert_eq!(line.value, Some(3));
        assert_eq!(line.team, None);
    }

    #[test]
    fn long_strings_with_late_escapes_and_multibyte_text() {
        let line = scan_line("{\"actor\":\"ééééééééééabcdefghijklmnop\\\"q\"}".as_bytes()).unwrap();
        assert_eq!(line.actor.as_deref(), Some("ééééééééééabcdefghijklmnop\"q"));
        let line = scan_line(br#"{"actor":"abcdefghijklmnopqrstuvwxyz0123456789"}"#).unwrap();
        assert!(matches!(
            line.actor,
            Some(Cow::Borrowed("abcdefghijklmnopqrstuvwxyz0123456789"))
        ));
        assert!(scan_line(b"{\"actor\":\"abcdefghijkl\x1fmnop\"}").is_err());
    }

    #[test]
    fn skips_unknown_fields_of_any_type() {
        let line =
            scan_line(br#"{"x":[1,{"y":[true,false,null,-2.5e3]},"s"],"kind":"joined","z":{}}"#)
                .unwrap();
        assert_eq!(line.kind.as_deref(), Some("joined"));
    }

    /// The common-shape path either declines or agrees with the full scanner.
    fn agrees(line: &[u8]) -> bool {
        match scan_common(line) {
            Some(fast) => {
                assert_eq!(
                    Ok(&fast),
                    scan_line(line).as_ref(),
                    "{}",
                    String::from_utf8_lossy(line)
                );
                true
            }
            None => false,
        }
    }

    #[test]
    fn the_common_path_takes_common_lines_and_agrees() {
        for line in [
            &br#"{"at":"2024-01-06T02:33:27Z","community":"cop-037","actor":"m046523","kind":"rsvp","subject":"g1","response":"yes"}"#[..],
            b"{\"at\":\"x\",\"community\":\"c\",\"kind\":\"pulse_answered\",\"value\":-0,\"review_days\":null}\r\n",
            "{\"kind\":\"joined\",\"actor\":null,\"team\":\"café team long name over fifteen\"}".as_bytes(),
            br#"{"value":3,"value":4,"review_days":123456789012345678}"#,
            b"{\"at\":\"\"}\n",
        ] {
            assert!(agrees(line), "{}", String::from_utf8_lossy(line));
        }
        for line in [
            &br#" {"at":"x"}"#[..],
            br#"{"at": "x"}"#,
            br#"{"at":"x"} "#,
            br#"{"at":"x\"y"}"#,
            br#"{"x":1}"#,
            br#"{}"#,
            br#"{"value":1.5}"#,
            br#"{"value":"3"}"#,
            br#"{"value":01}"#,
            br#"{"value":1234567890123456789}"#,
            br#"{"actor":5}"#,
            br#"{"actor":true}"#,
            br#"{"at":"x",}"#,
            br#"{"at":"x""#,
            b"{\"at\":\"a\tb\"}",
            b"{\"at\":\"x\"}\r",
            b"{\"at\":\"\xff\"}",
        ] {
            assert!(!agrees(line), "{}", String::from_utf8_lossy(line));
        }
    }

    proptest::proptest! {
        #[test]
        fn the_common_path_never_disagrees(
            parts in proptest::collection::vec(
                proptest::sample::select(vec![
                    "{", "}", ",", ":", "\"", "at", "kind", "value", "review_days", "actor",
                    "null", "1", "-", "0", ".5", "x", " ", "\\", "\n", "\u{e9}", "\u{1}",
                ]),
                0..40,
            )
        ) {
            agrees(parts.concat().as_bytes());
        }
    }

    #[test]
    fn rejects_what_is_not_json() {
        for bad in [
            &br#"{"at":"x""#[..],
            br#"{"at":"x",}"#,
            br#"{"at":x}"#,
            br#"{"at":"x"} junk"#,
            br#"{"value":1.5}"#,
            br#"{"value":"3"}"#,
            br#"{"actor":5}"#,
            br#"{"x":01}"#,
            br#"{"x":"\q"}"#,
            br#"{"x":"\ud83d"}"#,
            b"{\"x\":\"a\x01\"}",
            b"{\"x\":\"\xff\"}",
            br#"[1]"#,
            b"",
        ] {
            assert!(
                scan_line(bad).is_err(),
                "{:?}",
                String::from_utf8_lossy(bad)
            );
        }
    }
}
