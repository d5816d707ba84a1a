//! How figures read for people: shares as percentages, durations in days
//! and hours, null as "—".

use serde_json::Value;

/// A count.
pub fn count(v: u64) -> String {
    v.to_string()
}

/// A share in [0, 1] as a percentage, or "—".
pub fn percent(v: Option<f64>) -> String {
    v.map_or_else(|| "—".to_owned(), |v| format!("{:.0}%", v * 100.0))
}

/// A plain number with two decimals, or "—".
pub fn number(v: Option<f64>) -> String {
    v.map_or_else(|| "—".to_owned(), |v| format!("{v:.2}"))
}

/// Seconds as "3d 4h", "5h 10m" or "42s", or "—".
pub fn duration(seconds: Option<f64>) -> String {
    let Some(s) = seconds else {
        return "—".to_owned();
    };
    let s = s.round() as i64;
    let (d, h, m) = (s / 86_400, s % 86_400 / 3_600, s % 3_600 / 60);
    if d > 0 {
        format!("{d}d {h}h")
    } else if h > 0 {
        format!("{h}h {m}m")
    } else if m > 0 {
        format!("{m}m {}s", s % 60)
    } else {
        format!("{s}s")
    }
}

/// A JSON figure value for people.
pub fn value(v: &Value) -> String {
    match v {
        Value::Null => "—".to_owned(),
        Value::Number(n) if n.is_u64() || n.is_i64() => n.to_string(),
        Value::Number(n) => format!("{:.2}", n.as_f64().unwrap_or(0.0)),
        other => other.to_string(),
    }
}

/// Human name of a snake_case identifier.
pub fn label(name: &str) -> String {
    name.replace('_', " ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn people_readable() {
        assert_eq!(percent(Some(0.666)), "67%");
        assert_eq!(percent(None), "—");
        assert_eq!(duration(Some(90_000.0)), "1d 1h");
        assert_eq!(duration(Some(3_660.0)), "1h 1m");
        assert_eq!(duration(Some(42.0)), "42s");
        assert_eq!(value(&Value::from(3u64)), "3");
        assert_eq!(value(&Value::from(0.5)), "0.50");
        assert_eq!(label("bus_factor"), "bus factor");
    }
}
