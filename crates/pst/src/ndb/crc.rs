//! The NDB CRC (MS-PST 5.3): CRC-32 with the reflected polynomial 0xEDB88320, initial value 0 and
//! no final inversion. The table is computed from the polynomial at compile time.

const POLYNOMIAL: u32 = 0xEDB8_8320;

const TABLE: [u32; 256] = {
    let mut table = [0u32; 256];
    let mut i = 0;
    while i < 256 {
        let mut crc = i as u32;
        let mut bit = 0;
        while bit < 8 {
            crc = if crc & 1 != 0 { (crc >> 1) ^ POLYNOMIAL } else { crc >> 1 };
            bit += 1;
        }
        table[i] = crc;
        i += 1;
    }
    table
};

/// `ComputeCRC(0, data)` as MS-PST 5.3 defines it.
pub fn compute_crc(data: &[u8]) -> u32 {
    data.iter().fold(0u32, |crc, &b| TABLE[((crc ^ u32::from(b)) & 0xFF) as usize] ^ (crc >> 8))
}

/// `ComputeSig` (MS-PST 5.5): the 16-bit signature of a block or page from its offset and ID.
pub fn compute_sig(ib: u64, bid: u64) -> u16 {
    let x = ib ^ bid;
    ((x >> 16) as u16) ^ (x as u16)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn table_matches_the_well_known_crc32_entries() {
        // Entries 1 and 255 of every reflected 0xEDB88320 table.
        assert_eq!(TABLE[1], 0x7707_3096);
        assert_eq!(TABLE[255], 0x2D02_EF8D);
    }

    #[test]
    fn crc_of_nothing_is_zero_and_of_data_is_stable() {
        assert_eq!(compute_crc(&[]), 0);
        // With initial value 0 and no final xor, one zero byte stays 0.
        assert_eq!(compute_crc(&[0]), 0);
        assert_ne!(compute_crc(b"PST"), compute_crc(b"PSU"));
    }
}
