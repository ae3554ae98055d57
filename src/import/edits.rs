//! Text edits made while importing: replacements of byte ranges of one
//! text, applied together, with a map from the new text's positions back
//! to the old text's (so the report names the line in the source file).

/// One replacement: `old[start..end]` becomes `with`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Edit {
    pub start: usize,
    pub end: usize,
    pub with: String,
}

/// Edits of one text, applied in order of position.
#[derive(Debug, Default)]
pub(crate) struct Edits {
    edits: Vec<Edit>,
    /// After `apply`: `(old_start, old_end, new_start, new_len)` per edit.
    map: Vec<(usize, usize, usize, usize)>,
}

impl Edits {
    /// Replaces `start..end` of the old text with `with`. Edits must not
    /// overlap; an overlapping one is ignored.
    pub fn replace(&mut self, start: usize, end: usize, with: impl Into<String>) {
        if self.edits.iter().any(|e| start < e.end && e.start < end) {
            return;
        }
        self.edits.push(Edit { start, end, with: with.into() });
    }

    /// Whether `start..end` overlaps an edit already made.
    pub fn touches(&self, start: usize, end: usize) -> bool {
        self.edits.iter().any(|e| start < e.end.max(e.start + 1) && e.start < end.max(start + 1))
    }

    /// The new text; afterwards [`Edits::old_offset`] maps positions back.
    pub fn apply(&mut self, old: &str) -> String {
        self.edits.sort_by_key(|e| e.start);
        let mut out = String::with_capacity(old.len());
        let mut at = 0;
        self.map.clear();
        for e in &self.edits {
            out.push_str(&old[at..e.start]);
            self.map.push((e.start, e.end, out.len(), e.with.len()));
            out.push_str(&e.with);
            at = e.end;
        }
        out.push_str(&old[at..]);
        out
    }

    /// Where position `new` of the applied text was in the old text (the
    /// start of the edit for a position inside a replacement).
    pub fn old_offset(&self, new: usize) -> usize {
        let mut delta: isize = 0;
        for &(os, oe, ns, nl) in &self.map {
            if new < ns {
                break;
            }
            if new < ns + nl {
                return os;
            }
            delta = oe as isize - (ns + nl) as isize;
        }
        (new as isize + delta).max(0) as usize
    }
}

/// 1-based line of byte `offset` in `text`.
pub(crate) fn line_of(text: &str, offset: usize) -> usize {
    let offset = offset.min(text.len());
    text.as_bytes()[..offset].iter().filter(|&&b| b == b'\n').count() + 1
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn maps_new_positions_back_to_old_ones() {
        let old = "aa {{x}} bb {{y}} cc";
        let mut e = Edits::default();
        e.replace(3, 8, "X");
        e.replace(12, 17, "YYYYYY");
        let new = e.apply(old);
        assert_eq!(new, "aa X bb YYYYYY cc");
        assert_eq!(e.old_offset(new.find("bb").unwrap()), old.find("bb").unwrap());
        assert_eq!(e.old_offset(new.find("cc").unwrap()), old.find("cc").unwrap());
        assert_eq!(e.old_offset(new.find("YYY").unwrap() + 2), 12);
        assert_eq!(e.old_offset(0), 0);
    }

    #[test]
    fn ignores_an_overlapping_edit() {
        let mut e = Edits::default();
        e.replace(0, 4, "a");
        e.replace(2, 6, "b");
        assert_eq!(e.apply("0123456"), "a456");
    }

    #[test]
    fn counts_lines_from_one() {
        assert_eq!(line_of("a\nb\nc", 0), 1);
        assert_eq!(line_of("a\nb\nc", 2), 2);
        assert_eq!(line_of("a\nb\nc", 99), 3);
    }
}
