//! Writing files whose names come from items (attachment file names, subjects): names are
//! made safe for every platform, and a file is never overwritten or written outside the
//! directory the user chose.

use crate::error::{SessionError, SessionResult};
use mapi::{ErrorCode, MapiError};
use std::collections::HashMap;
use std::fs::File;
use std::io::{self, Read, Write};
use std::path::{Path, PathBuf};

/// The longest file name written, in bytes (ext4, NTFS and APFS all allow 255).
pub const MAX_FILE_NAME_BYTES: usize = 255;
/// The read buffer of a copy (a PST stream yields one block, at most 8 KiB, per read).
const COPY_BUFFER: usize = 16 * 1024;
/// How many ` (N)` suffixes are tried before giving up on a name.
const MAX_COLLISIONS: u32 = 10_000;
/// Names Windows reserves whatever the extension (`CON.txt` opens the console).
const WINDOWS_RESERVED: &[&str] = &[
    "CON", "PRN", "AUX", "NUL", "COM1", "COM2", "COM3", "COM4", "COM5", "COM6", "COM7", "COM8",
    "COM9", "LPT1", "LPT2", "LPT3", "LPT4", "LPT5", "LPT6", "LPT7", "LPT8", "LPT9",
];

/// A file name taken from an item made safe to create in a directory: no path separators,
/// no `.`/`..`, no NUL or control characters, none of `<>:"|?*` (Windows refuses them), no
/// trailing dots or spaces, no reserved device names, at most 255 bytes (the extension is
/// kept when the stem is cut). An empty result becomes `fallback`.
pub fn sanitize_file_name(name: &str, fallback: &str) -> String {
    let cleaned: String = name
        .chars()
        .map(|c| match c {
            '/' | '\\' | '<' | '>' | ':' | '"' | '|' | '?' | '*' => '_',
            c if c.is_control() => '_',
            c => c,
        })
        .collect();
    let trimmed = cleaned.trim().trim_end_matches(['.', ' ']).trim_start_matches(['.', ' ']);
    let mut safe = if trimmed.is_empty() || trimmed.chars().all(|c| c == '.' || c == '_') {
        sanitize_fallback(fallback)
    } else {
        trimmed.to_owned()
    };
    let stem = safe.split('.').next().unwrap_or("");
    if WINDOWS_RESERVED.iter().any(|r| r.eq_ignore_ascii_case(stem)) {
        safe.insert(0, '_');
    }
    truncate_keeping_extension(&safe, MAX_FILE_NAME_BYTES)
}

fn sanitize_fallback(fallback: &str) -> String {
    let clean: String = fallback
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))
        .collect();
    if clean.trim_matches('.').is_empty() { "attachment".to_owned() } else { clean }
}

/// Cuts `name` to at most `limit` bytes on a character boundary, keeping a short extension.
fn truncate_keeping_extension(name: &str, limit: usize) -> String {
    if name.len() <= limit {
        return name.to_owned();
    }
    let (stem, extension) = split_extension(name);
    let mut cut = limit - extension.len();
    while !stem.is_char_boundary(cut) {
        cut -= 1;
    }
    format!("{}{}", &stem[..cut], extension)
}

/// (stem, extension with its dot); an extension is 1 to 10 ASCII letters or digits after the
/// last dot, so `a.tar.gz` keeps `.gz` and `_.._x` has none.
fn split_extension(name: &str) -> (&str, &str) {
    match name.rfind('.') {
        Some(dot)
            if dot > 0
                && (2..=11).contains(&(name.len() - dot))
                && name[dot + 1..].bytes().all(|b| b.is_ascii_alphanumeric()) =>
        {
            (&name[..dot], &name[dot..])
        }
        _ => (name, ""),
    }
}

/// `name` with ` (n)` before its extension: `report (2).pdf`.
fn numbered(name: &str, n: u32) -> String {
    let suffix = format!(" ({n})");
    let (stem, extension) = split_extension(name);
    let mut cut = stem.len().min(MAX_FILE_NAME_BYTES - suffix.len() - extension.len());
    while !stem.is_char_boundary(cut) {
        cut -= 1;
    }
    format!("{}{suffix}{extension}", &stem[..cut])
}

/// Copies `data` into a new file in `directory` named after `name` (sanitised; `fallback`
/// when nothing of it is usable), adding ` (2)`, ` (3)`, ... when the name is taken. The data
/// goes to a temporary file first and is renamed to its name only when complete, so an
/// interrupted save leaves no partial file under that name and an existing file is never
/// replaced. To save many files into one directory, [`NewFiles`] remembers the numbers used.
pub fn save_new_file(
    directory: &Path,
    name: &str,
    fallback: &str,
    data: &mut dyn Read,
) -> SessionResult<PathBuf> {
    NewFiles::new(directory).save(name, fallback, data)
}

/// New files in one directory (see [`save_new_file`]): remembers, per name, the last number
/// given, so saving a thousand `image001.png` does not try every taken number again each time.
#[derive(Debug)]
pub struct NewFiles {
    directory: PathBuf,
    next_number: HashMap<String, u32>,
    /// The copy buffer, kept between files (zeroing a fresh one for each small attachment
    /// cost a fifth of saving a PST's attachments).
    buffer: Vec<u8>,
}

impl NewFiles {
    pub fn new(directory: &Path) -> NewFiles {
        NewFiles {
            directory: directory.to_path_buf(),
            next_number: HashMap::new(),
            buffer: Vec::new(),
        }
    }

    pub fn directory(&self) -> &Path {
        &self.directory
    }

    /// Saves `data` as a new file named after `name`; returns its path.
    pub fn save(
        &mut self,
        name: &str,
        fallback: &str,
        data: &mut dyn Read,
    ) -> SessionResult<PathBuf> {
        let safe = sanitize_file_name(name, fallback);
        let mut temp = write_temp(&self.directory, data, &mut self.buffer)?;
        let first = self.next_number.get(&safe).copied().unwrap_or(1);
        for n in first..=MAX_COLLISIONS {
            let candidate = if n == 1 { safe.clone() } else { numbered(&safe, n) };
            let path = self.directory.join(&candidate);
            // renameat2(RENAME_NOREPLACE) where the system has it (tempfile falls back to
            // link and unlink elsewhere): a file that is there is never replaced.
            match temp.persist_noclobber(&path) {
                Ok(_) => {
                    self.next_number.insert(safe, n + 1);
                    return Ok(path);
                }
                Err(err) if err.error.kind() == io::ErrorKind::AlreadyExists => temp = err.file,
                Err(err) => return Err(disk_error(&path, &err.error)),
            }
        }
        Err(SessionError::Mapi(MapiError::new(
            ErrorCode::Collision,
            format!(
                "{}: {MAX_COLLISIONS} files named like {safe:?} exist already",
                self.directory.display()
            ),
        )))
    }
}

/// Writes `data` to `path`, replacing it if it exists (what `SaveAsFile` does: the caller
/// chose the path), through a temporary file in the same directory renamed into place.
pub fn save_replacing(path: &Path, data: &mut dyn Read) -> SessionResult<u64> {
    let directory = match path.parent() {
        Some(dir) if !dir.as_os_str().is_empty() => dir,
        _ => Path::new("."),
    };
    let temp = write_temp(directory, data, &mut Vec::new())?;
    let written = temp.as_file().metadata().map_err(|e| disk_error(path, &e))?.len();
    temp.persist(path).map_err(|e| disk_error(path, &e.error))?;
    Ok(written)
}

fn write_temp(
    directory: &Path,
    data: &mut dyn Read,
    buffer: &mut Vec<u8>,
) -> SessionResult<tempfile::NamedTempFile> {
    let mut temp = tempfile::Builder::new()
        .prefix(".outpost-save-")
        .tempfile_in(directory)
        .map_err(|e| disk_error(directory, &e))?;
    copy_stream(data, temp.as_file_mut(), buffer).map_err(|e| disk_error(directory, &e))?;
    Ok(temp)
}

/// Copies with a fixed read buffer: `io::copy` into a `BufWriter` reads into the writer's
/// spare capacity, and `Read::read_buf`'s default zero-fills all of it on every call, which
/// cost more than the data (a PST stream yields one block, at most 8 KiB, per read).
fn copy_stream(data: &mut dyn Read, file: &mut File, buffer: &mut Vec<u8>) -> io::Result<u64> {
    let mut writer = io::BufWriter::with_capacity(64 * 1024, file);
    if buffer.len() < COPY_BUFFER {
        buffer.resize(COPY_BUFFER, 0);
    }
    let mut copied = 0u64;
    loop {
        let n = match data.read(buffer) {
            Ok(0) => break,
            Ok(n) => n,
            Err(err) if err.kind() == io::ErrorKind::Interrupted => continue,
            Err(err) => return Err(err),
        };
        writer.write_all(&buffer[..n])?;
        copied += n as u64;
    }
    writer.flush()?;
    Ok(copied)
}

fn disk_error(path: &Path, err: &io::Error) -> SessionError {
    let code = match err.kind() {
        io::ErrorKind::NotFound => ErrorCode::NotFound,
        io::ErrorKind::PermissionDenied => ErrorCode::NoAccess,
        _ => ErrorCode::DiskError,
    };
    SessionError::Mapi(MapiError::new(code, format!("{}: {err}", path.display())))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_lose_everything_that_could_leave_the_directory() {
        assert_eq!(sanitize_file_name("../../x", "a"), "_.._x");
        assert_eq!(sanitize_file_name("..", "a"), "a");
        assert_eq!(sanitize_file_name(".", "a"), "a");
        assert_eq!(sanitize_file_name("/etc/passwd", "a"), "_etc_passwd");
        assert_eq!(sanitize_file_name("C:\\Windows\\x.dll", "a"), "C__Windows_x.dll");
        assert_eq!(sanitize_file_name("a\0b\nc\u{7f}", "a"), "a_b_c_");
        assert_eq!(sanitize_file_name("report.pdf. . ", "a"), "report.pdf");
        assert_eq!(sanitize_file_name("   ", "fallback 1"), "fallback1");
        assert_eq!(sanitize_file_name("", "../.."), "attachment");
        assert_eq!(sanitize_file_name("con.txt", "a"), "_con.txt");
        assert_eq!(sanitize_file_name("Résumé – 2024.docx", "a"), "Résumé – 2024.docx");
    }

    #[test]
    fn long_names_are_cut_on_a_character_boundary_keeping_the_extension() {
        let long = format!("{}.pdf", "é".repeat(300));
        let safe = sanitize_file_name(&long, "a");
        assert!(safe.len() <= MAX_FILE_NAME_BYTES, "{}", safe.len());
        assert!(safe.ends_with(".pdf"));
        let numbered = numbered(&safe, 12);
        assert!(numbered.len() <= MAX_FILE_NAME_BYTES);
        assert!(numbered.ends_with(" (12).pdf"), "{numbered}");
    }

    #[test]
    fn a_taken_name_gets_a_number_and_nothing_is_overwritten() {
        let dir = tempfile::tempdir().unwrap();
        let first = save_new_file(dir.path(), "a.txt", "x", &mut &b"one"[..]).unwrap();
        let second = save_new_file(dir.path(), "a.txt", "x", &mut &b"two"[..]).unwrap();
        let third = save_new_file(dir.path(), "a.txt", "x", &mut &b"three"[..]).unwrap();
        assert_eq!(first, dir.path().join("a.txt"));
        assert_eq!(second, dir.path().join("a (2).txt"));
        assert_eq!(third, dir.path().join("a (3).txt"));
        assert_eq!(std::fs::read(&first).unwrap(), b"one");
        assert_eq!(std::fs::read(&third).unwrap(), b"three");
        // No temporary file is left behind.
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 3);
    }

    #[test]
    fn many_files_of_one_name_are_numbered_in_order_without_retrying_each_number() {
        let dir = tempfile::tempdir().unwrap();
        // A file someone else made in the middle of the run is skipped, not replaced.
        std::fs::write(dir.path().join("img (3).png"), b"theirs").unwrap();
        let mut files = NewFiles::new(dir.path());
        let names: Vec<String> = (0..6)
            .map(|i| {
                let path = files.save("img.png", "x", &mut format!("{i}").as_bytes()).unwrap();
                path.file_name().unwrap().to_string_lossy().into_owned()
            })
            .collect();
        assert_eq!(
            names,
            ["img.png", "img (2).png", "img (4).png", "img (5).png", "img (6).png", "img (7).png"]
        );
        assert_eq!(std::fs::read(dir.path().join("img (3).png")).unwrap(), b"theirs");
        assert_eq!(std::fs::read(dir.path().join("img (7).png")).unwrap(), b"5");
    }

    #[test]
    fn a_hostile_name_stays_inside_the_directory() {
        let root = tempfile::tempdir().unwrap();
        let target = root.path().join("out");
        std::fs::create_dir(&target).unwrap();
        for name in ["../../x", "../x", "/x", "..\\x", "x/../../y"] {
            let path = save_new_file(&target, name, "f", &mut &b"data"[..]).unwrap();
            assert_eq!(path.parent().unwrap(), target, "{name}");
        }
        let outside: Vec<_> = std::fs::read_dir(root.path()).unwrap().collect();
        assert_eq!(outside.len(), 1, "only out/ is in the root");
    }
}
