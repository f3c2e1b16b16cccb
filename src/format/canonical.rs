//! Canonical JSON (spec §5.1), the one serialisation the manifest, the
//! signature envelope and custody events are written in, and the nesting
//! bound a reader checks before it parses any of them.

use serde::Serialize;

/// The canonical JSON serialisation of spec §5.1, shared by the manifest and
/// the signature envelope: pretty-printed with two-space indentation, keys
/// in declaration order, raw UTF-8, minimal escapes, one final LF.
pub fn canonical_json<T: Serialize>(value: &T) -> Vec<u8> {
    let mut out = serde_json::to_vec_pretty(value)
        .expect("serialising plain structs with string keys cannot fail");
    out.push(b'\n');
    out
}

/// The deepest nesting of JSON arrays and objects, counted without parsing
/// (brackets inside strings do not count), so that a hostile manifest is
/// refused before a recursive parser sees it.
pub fn json_depth(bytes: &[u8]) -> usize {
    let (mut depth, mut max, mut in_string, mut escaped) = (0usize, 0usize, false, false);
    for &b in bytes {
        if in_string {
            match (escaped, b) {
                (true, _) => escaped = false,
                (false, b'\\') => escaped = true,
                (false, b'"') => in_string = false,
                _ => {}
            }
            continue;
        }
        match b {
            b'"' => in_string = true,
            b'[' | b'{' => {
                depth += 1;
                max = max.max(depth);
            }
            b']' | b'}' => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    max
}
