//! Little-endian cursor and writer shared by the restriction and property value codecs.

use super::RestrictionError;
use serde::{Deserialize, Serialize};

/// Width of the counts inside restrictions and property values.
///
/// MS-OXCDATA 2.11.1 (`COUNT`) and 2.12.1.1/2.12.2.1 (`RestrictCount`) make these counts 16 bits
/// wide in ROP buffers (RopRestrict, RopFindRow, RopSetSearchCriteria, PtypRestriction values
/// stored by Exchange) and 32 bits wide in the context of extended rules (MS-OXORULE
/// `PidTagExtendedRuleMessageCondition`). One width applies to a whole structure. The comment
/// restriction's `TaggedValuesCount` is always 8 bits, and sort order counts always 16.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
pub enum CountWidth {
    /// 16-bit counts: ROPs and stored PtypRestriction values.
    #[default]
    Bits16,
    /// 32-bit counts: extended rules.
    Bits32,
}

impl CountWidth {
    pub const fn bytes(self) -> usize {
        match self {
            CountWidth::Bits16 => 2,
            CountWidth::Bits32 => 4,
        }
    }

    fn max(self) -> usize {
        match self {
            CountWidth::Bits16 => usize::from(u16::MAX),
            CountWidth::Bits32 => usize::try_from(u32::MAX).unwrap_or(usize::MAX),
        }
    }
}

/// A read position over a borrowed buffer. Every read checks the remaining length first.
pub(crate) struct Reader<'a> {
    bytes: &'a [u8],
    pos: usize,
    pub(crate) width: CountWidth,
}

impl<'a> Reader<'a> {
    pub(crate) fn new(bytes: &'a [u8], width: CountWidth) -> Reader<'a> {
        Reader { bytes, pos: 0, width }
    }

    pub(crate) fn offset(&self) -> usize {
        self.pos
    }

    pub(crate) fn remaining(&self) -> usize {
        self.bytes.len() - self.pos
    }

    pub(crate) fn bytes_since(&self, start: usize) -> &'a [u8] {
        &self.bytes[start..self.pos]
    }

    pub(crate) fn take(
        &mut self,
        n: usize,
        what: &'static str,
    ) -> Result<&'a [u8], RestrictionError> {
        if n > self.remaining() {
            return Err(RestrictionError::Truncated {
                what,
                offset: self.pos,
                needed: n,
                available: self.remaining(),
            });
        }
        let slice = &self.bytes[self.pos..self.pos + n];
        self.pos += n;
        Ok(slice)
    }

    fn array<const N: usize>(&mut self, what: &'static str) -> Result<[u8; N], RestrictionError> {
        let slice = self.take(N, what)?;
        let mut out = [0u8; N];
        out.copy_from_slice(slice);
        Ok(out)
    }

    pub(crate) fn u8(&mut self, what: &'static str) -> Result<u8, RestrictionError> {
        Ok(self.array::<1>(what)?[0])
    }

    pub(crate) fn u16(&mut self, what: &'static str) -> Result<u16, RestrictionError> {
        self.array(what).map(u16::from_le_bytes)
    }

    pub(crate) fn u32(&mut self, what: &'static str) -> Result<u32, RestrictionError> {
        self.array(what).map(u32::from_le_bytes)
    }

    pub(crate) fn u64(&mut self, what: &'static str) -> Result<u64, RestrictionError> {
        self.array(what).map(u64::from_le_bytes)
    }

    pub(crate) fn bytes16(&mut self, what: &'static str) -> Result<[u8; 16], RestrictionError> {
        self.array(what)
    }

    /// A count in the reader's width, checked against what the rest of the input can hold
    /// given that each counted item takes at least `min_item_size` bytes.
    pub(crate) fn count(
        &mut self,
        what: &'static str,
        min_item_size: usize,
    ) -> Result<usize, RestrictionError> {
        let offset = self.pos;
        let count = match self.width {
            CountWidth::Bits16 => usize::from(self.u16(what)?),
            CountWidth::Bits32 => usize::try_from(self.u32(what)?).unwrap_or(usize::MAX),
        };
        self.check_fits(what, offset, count, min_item_size)?;
        Ok(count)
    }

    /// Fails if `count` items of at least `min_item_size` bytes cannot fit in the rest of the
    /// input, so that no allocation exceeds what the input can justify.
    pub(crate) fn check_fits(
        &self,
        what: &'static str,
        offset: usize,
        count: usize,
        min_item_size: usize,
    ) -> Result<(), RestrictionError> {
        let needed = count.saturating_mul(min_item_size.max(1));
        if needed > self.remaining() {
            return Err(RestrictionError::Invalid {
                what,
                offset,
                found: format!("{count}"),
                expected: "a count that fits in the remaining input",
            });
        }
        Ok(())
    }
}

/// Appends little-endian fields.
pub(crate) struct Writer {
    pub(crate) out: Vec<u8>,
    pub(crate) width: CountWidth,
}

impl Writer {
    pub(crate) fn new(width: CountWidth) -> Writer {
        Writer { out: Vec::new(), width }
    }

    pub(crate) fn u8(&mut self, v: u8) {
        self.out.push(v);
    }

    pub(crate) fn u16(&mut self, v: u16) {
        self.out.extend_from_slice(&v.to_le_bytes());
    }

    pub(crate) fn u32(&mut self, v: u32) {
        self.out.extend_from_slice(&v.to_le_bytes());
    }

    pub(crate) fn u64(&mut self, v: u64) {
        self.out.extend_from_slice(&v.to_le_bytes());
    }

    pub(crate) fn bytes(&mut self, v: &[u8]) {
        self.out.extend_from_slice(v);
    }

    /// A count in the writer's width; fails if it does not fit.
    pub(crate) fn count(&mut self, count: usize, what: &str) -> Result<(), RestrictionError> {
        if count > self.width.max() {
            return Err(RestrictionError::Unencodable {
                what: what.to_owned(),
                reason: format!("{count} items do not fit a {}-byte count", self.width.bytes()),
            });
        }
        match self.width {
            // Both conversions are checked by the bound above.
            CountWidth::Bits16 => self.u16(u16::try_from(count).unwrap_or(u16::MAX)),
            CountWidth::Bits32 => self.u32(u32::try_from(count).unwrap_or(u32::MAX)),
        }
        Ok(())
    }
}
