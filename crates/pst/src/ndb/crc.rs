//! The NDB CRC (MS-PST 5.3): CRC-32 with the reflected polynomial 0xEDB88320, initial value 0 and
//! no final inversion. The table is computed from the polynomial at compile time.

const POLYNOMIAL: u32 = 0xEDB8_8320;

/// Eight tables for slicing-by-8: `TABLES[0]` is the classic byte table of MS-PST 5.3, and
/// `TABLES[k][b]` is the CRC of byte `b` followed by `k` zero bytes, so eight input bytes are
/// folded per step. All computed from the polynomial at compile time.
const TABLES: [[u32; 256]; 8] = {
    let mut tables = [[0u32; 256]; 8];
    let mut i = 0;
    while i < 256 {
        let mut crc = i as u32;
        let mut bit = 0;
        while bit < 8 {
            crc = if crc & 1 != 0 { (crc >> 1) ^ POLYNOMIAL } else { crc >> 1 };
            bit += 1;
        }
        tables[0][i] = crc;
        i += 1;
    }
    let mut k = 1;
    while k < 8 {
        let mut i = 0;
        while i < 256 {
            let prev = tables[k - 1][i];
            tables[k][i] = (prev >> 8) ^ tables[0][(prev & 0xFF) as usize];
            i += 1;
        }
        k += 1;
    }
    tables
};

const TABLE: [u32; 256] = TABLES[0];

/// `ComputeCRC(0, data)` as MS-PST 5.3 defines it.
pub fn compute_crc(data: &[u8]) -> u32 {
    let mut crc = 0u32;
    let mut chunks = data.chunks_exact(8);
    for c in &mut chunks {
        let lo = crc ^ u32::from_le_bytes([c[0], c[1], c[2], c[3]]);
        let hi = u32::from_le_bytes([c[4], c[5], c[6], c[7]]);
        crc = TABLES[7][(lo & 0xFF) as usize]
            ^ TABLES[6][((lo >> 8) & 0xFF) as usize]
            ^ TABLES[5][((lo >> 16) & 0xFF) as usize]
            ^ TABLES[4][(lo >> 24) as usize]
            ^ TABLES[3][(hi & 0xFF) as usize]
            ^ TABLES[2][((hi >> 8) & 0xFF) as usize]
            ^ TABLES[1][((hi >> 16) & 0xFF) as usize]
            ^ TABLES[0][(hi >> 24) as usize];
    }
    chunks
        .remainder()
        .iter()
        .fold(crc, |crc, &b| TABLE[((crc ^ u32::from(b)) & 0xFF) as usize] ^ (crc >> 8))
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

    fn bytewise(data: &[u8]) -> u32 {
        data.iter().fold(0u32, |crc, &b| TABLE[((crc ^ u32::from(b)) & 0xFF) as usize] ^ (crc >> 8))
    }

    #[test]
    fn slicing_by_8_equals_the_byte_at_a_time_definition() {
        let data: Vec<u8> =
            (0..1000u32).map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8).collect();
        for len in [0, 1, 7, 8, 9, 15, 16, 17, 500, 1000] {
            assert_eq!(compute_crc(&data[..len]), bytewise(&data[..len]), "length {len}");
        }
    }

    #[test]
    fn crc_of_nothing_is_zero_and_of_data_is_stable() {
        assert_eq!(compute_crc(&[]), 0);
        // With initial value 0 and no final xor, one zero byte stays 0.
        assert_eq!(compute_crc(&[0]), 0);
        assert_ne!(compute_crc(b"PST"), compute_crc(b"PSU"));
    }
}
