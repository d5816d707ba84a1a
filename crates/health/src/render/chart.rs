//! Server-side SVG charts (no scripts, no external assets) and terminal
//! sparklines.

use std::fmt::Write;

use super::html::escape;

/// A one-line sparkline of values with block characters.
pub fn sparkline(values: &[u64]) -> String {
    const BLOCKS: [char; 8] = ['▁', '▂', '▃', '▄', '▅', '▆', '▇', '█'];
    let max = values.iter().copied().max().unwrap_or(0);
    values
        .iter()
        .map(|&v| {
            (v * 7 + max / 2)
                .checked_div(max)
                .map_or(BLOCKS[0], |i| BLOCKS[i as usize])
        })
        .collect()
}

/// A bar chart of a weekly series, with axis labels and a title.
pub fn bars(title: &str, labels: &[String], values: &[u64], colour: &str) -> String {
    let (width, height, left, bottom, top) = (640.0, 180.0, 40.0, 24.0, 22.0);
    let plot_w = width - left - 8.0;
    let plot_h = height - bottom - top;
    let max = values.iter().copied().max().unwrap_or(0).max(1) as f64;
    let n = values.len().max(1) as f64;
    let step = plot_w / n;
    let mut svg = String::new();
    let _ = write!(
        svg,
        r#"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" role="img" aria-label="{t}"><title>{t}</title>"#,
        t = escape(title)
    );
    let _ = write!(
        svg,
        r#"<text x="{left}" y="14" class="chart-title">{}</text>"#,
        escape(title)
    );
    let _ = write!(
        svg,
        r##"<line x1="{left}" y1="{y}" x2="{x2}" y2="{y}" stroke="#888"/><text x="{lx}" y="{ty}" class="axis" text-anchor="end">{max}</text><text x="{lx}" y="{y}" class="axis" text-anchor="end">0</text>"##,
        y = top + plot_h,
        x2 = left + plot_w,
        lx = left - 4.0,
        ty = top + 8.0,
        max = max as u64
    );
    for (i, &v) in values.iter().enumerate() {
        let h = v as f64 / max * plot_h;
        let x = left + i as f64 * step;
        let label = labels.get(i).map_or("", String::as_str);
        let _ = write!(
            svg,
            r#"<rect x="{x:.1}" y="{y:.1}" width="{w:.1}" height="{h:.1}" fill="{colour}"><title>{label}: {v}</title></rect>"#,
            y = top + plot_h - h,
            w = (step * 0.8).max(0.5),
            label = escape(label),
        );
    }
    if let (Some(first), Some(last)) = (labels.first(), labels.last()) {
        let _ = write!(
            svg,
            r#"<text x="{left}" y="{y}" class="axis">{}</text><text x="{x}" y="{y}" class="axis" text-anchor="end">{}</text>"#,
            escape(first),
            escape(last),
            y = height - 6.0,
            x = left + plot_w,
        );
    }
    svg.push_str("</svg>");
    svg
}

/// Horizontal bars of vitality components: each one's points out of its
/// maximum (5 × effective weight).
pub fn components(items: &[(String, Option<f64>, Option<f64>)]) -> String {
    let row = 22.0;
    let height = row * items.len() as f64 + 8.0;
    let (label_w, bar_w) = (170.0, 400.0);
    let mut svg = String::new();
    let _ = write!(
        svg,
        r#"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 640 {height}" role="img" aria-label="Vitality components"><title>Vitality components</title>"#
    );
    for (i, (name, points, max)) in items.iter().enumerate() {
        let y = 4.0 + i as f64 * row;
        let _ = write!(
            svg,
            r#"<text x="0" y="{ty}" class="axis">{}</text>"#,
            escape(name),
            ty = y + 14.0
        );
        match (points, max) {
            (Some(p), Some(m)) if *m > 0.0 => {
                let _ = write!(
                    svg,
                    r##"<rect x="{label_w}" y="{y}" width="{bw:.1}" height="16" fill="#e5e7eb"/><rect x="{label_w}" y="{y}" width="{w:.1}" height="16" fill="#2f855a"/><text x="{tx}" y="{ty}" class="axis">{p:.2} / {m:.2}</text>"##,
                    bw = bar_w,
                    w = bar_w * (p / m).clamp(0.0, 1.0),
                    tx = label_w + bar_w + 6.0,
                    ty = y + 13.0,
                );
            }
            _ => {
                let _ = write!(
                    svg,
                    r#"<text x="{label_w}" y="{ty}" class="axis">left out: no data</text>"#,
                    ty = y + 14.0
                );
            }
        }
    }
    svg.push_str("</svg>");
    svg
}

/// A small inline SVG sparkline for tables.
pub fn spark_svg(values: &[u64]) -> String {
    let (w, h) = (96.0, 20.0);
    let max = values.iter().copied().max().unwrap_or(0).max(1) as f64;
    let n = values.len().saturating_sub(1).max(1) as f64;
    let points: Vec<String> = values
        .iter()
        .enumerate()
        .map(|(i, &v)| {
            format!(
                "{:.1},{:.1}",
                i as f64 / n * w,
                h - 1.0 - v as f64 / max * (h - 2.0)
            )
        })
        .collect();
    format!(
        r##"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {w} {h}" width="{w}" height="{h}" role="img" aria-label="weekly active members"><polyline fill="none" stroke="#2b6cb0" stroke-width="1.5" points="{}"/></svg>"##,
        points.join(" ")
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sparkline_scales_to_the_maximum() {
        assert_eq!(sparkline(&[0, 4, 8]), "▁▅█");
        assert_eq!(sparkline(&[0, 0]), "▁▁");
    }

    #[test]
    fn charts_escape_their_text() {
        let svg = bars("<a&b>", &["x\"y".into()], &[3], "#000");
        assert!(svg.contains("&lt;a&amp;b&gt;"));
        assert!(svg.contains("x&quot;y"));
        assert!(!svg.contains("<a&b>"));
    }
}
