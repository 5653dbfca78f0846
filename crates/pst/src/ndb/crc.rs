//! The NDB CRC (MS-PST 5.3): CRC-32 with the reflected polynomial 0xEDB88320, initial value 0 and
//! no final inversion.

/// `ComputeCRC(0, data)` as MS-PST 5.3 defines it: the CRC-32 register of IEEE 802.3 without
/// its initial and final inversion. `crc32fast` (SIMD where the CPU has it) inverts on the way in
/// and out, so starting it at `!0` and inverting its result gives the bare register.
pub fn compute_crc(data: &[u8]) -> u32 {
    let mut hasher = crc32fast::Hasher::new_with_initial(!0);
    hasher.update(data);
    !hasher.finalize()
}

/// `ComputeSig` (MS-PST 5.5): the 16-bit signature of a block or page from its offset and ID.
pub fn compute_sig(ib: u64, bid: u64) -> u16 {
    let x = ib ^ bid;
    ((x >> 16) as u16) ^ (x as u16)
}

#[cfg(test)]
mod tests {
    use super::*;

    const POLYNOMIAL: u32 = 0xEDB8_8320;

    /// The byte table of MS-PST 5.3, computed from the polynomial: the reference definition.
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
    fn the_fast_crc_equals_the_byte_at_a_time_definition() {
        let data: Vec<u8> =
            (0..1000u32).map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8).collect();
        for len in [0, 1, 7, 8, 9, 15, 16, 17, 63, 64, 65, 127, 128, 129, 500, 1000] {
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
