//! `outpost mailbox check`: SQLite's own integrity check plus the mailbox's invariants. Runs on
//! a read-only connection; never writes.

use crate::db;
use crate::error::{StoreError, StoreResult};
use crate::ids::IdContext;
use crate::{codec, schema, sql, standard};
use mapi::provider::SpecialFolder;
use mapi::{Guid, PropTag};
use rusqlite::{Connection, OptionalExtension};
use serde::Serialize;
use std::path::Path;

/// What the check found. `problems` is empty for a healthy mailbox.
#[derive(Debug, Clone, Serialize)]
pub struct CheckReport {
    pub path: String,
    pub schema_version: Option<i64>,
    pub folders: i64,
    pub messages: i64,
    pub properties: i64,
    pub problems: Vec<String>,
}

impl CheckReport {
    pub fn is_ok(&self) -> bool {
        self.problems.is_empty()
    }
}

/// Checks the mailbox at `path`. A file that is not a mailbox, or one of a newer schema, is an
/// error; damage is reported in the returned report.
pub fn check(path: &Path) -> StoreResult<CheckReport> {
    std::fs::metadata(path).map_err(|source| StoreError::Io { path: path.to_owned(), source })?;
    let mut report = CheckReport {
        path: path.display().to_string(),
        schema_version: None,
        folders: 0,
        messages: 0,
        properties: 0,
        problems: Vec::new(),
    };
    let conn = db::connect(path, true)?;
    match db::inspect(&conn, path) {
        Ok(version) => report.schema_version = Some(version),
        Err(StoreError::Damaged { reason, .. }) => {
            report.problems.push(format!("the file cannot be read as a database: {reason}"));
            return Ok(report);
        }
        Err(err @ StoreError::Sqlite { .. }) => {
            report.problems.push(err.to_string());
            return Ok(report);
        }
        Err(err) => return Err(err),
    }
    if let Err(err) = sqlite_checks(&conn, &mut report) {
        report.problems.push(format!("SQLite check could not finish: {err}"));
    }
    if report.problems.is_empty()
        && let Err(err) = invariants(&conn, &mut report)
    {
        report.problems.push(format!("invariant check could not finish: {err}"));
    }
    Ok(report)
}

fn sqlite_checks(conn: &Connection, report: &mut CheckReport) -> rusqlite::Result<()> {
    let mut stmt = conn.prepare("PRAGMA integrity_check(100)")?;
    let lines = stmt.query_map([], |r| r.get::<_, String>(0))?.collect::<Result<Vec<_>, _>>()?;
    if lines != ["ok"] {
        report.problems.extend(lines.into_iter().map(|l| format!("SQLite integrity: {l}")));
    }
    let mut stmt = conn.prepare("PRAGMA foreign_key_check")?;
    let broken = stmt
        .query_map([], |r| {
            Ok(format!(
                "{} row {} references a missing {}",
                r.get::<_, String>(0)?,
                r.get::<_, i64>(1)?,
                r.get::<_, String>(2)?
            ))
        })?
        .collect::<Result<Vec<_>, _>>()?;
    report.problems.extend(broken.into_iter().take(100));
    Ok(())
}

fn count(conn: &Connection, query: &str) -> StoreResult<i64> {
    Ok(conn.query_row(query, [], |r| r.get(0))?)
}

fn invariants(conn: &Connection, report: &mut CheckReport) -> StoreResult<()> {
    let problems = &mut report.problems;
    report.folders = count(conn, "SELECT COUNT(*) FROM folders")?;
    report.messages = count(conn, "SELECT COUNT(*) FROM messages WHERE folder_id IS NOT NULL")?;
    report.properties = count(conn, "SELECT COUNT(*) FROM properties")?;

    let mut guids = Vec::new();
    for key in ["mailbox_guid", "database_guid"] {
        match sql::meta_blob(conn, key) {
            Ok(Some(bytes)) if bytes.len() == 16 => {
                guids.push(Guid::from_le_bytes(bytes.try_into().unwrap_or([0; 16])));
            }
            Ok(_) => problems.push(format!("meta {key} is missing or not 16 bytes")),
            Err(err) => problems.push(format!("meta {key} cannot be read: {err}")),
        }
    }

    let roots = count(conn, "SELECT COUNT(*) FROM folders WHERE parent_id IS NULL")?;
    if roots != 1 {
        problems.push(format!("there are {roots} root folders, expected 1"));
    }

    // Every folder reaches the root without a cycle.
    let cyclic = count(
        conn,
        "WITH RECURSIVE reach(id) AS (SELECT id FROM folders WHERE parent_id IS NULL \
         UNION SELECT f.id FROM folders f JOIN reach r ON f.parent_id = r.id) \
         SELECT COUNT(*) FROM folders WHERE id NOT IN (SELECT id FROM reach)",
    )?;
    if cyclic > 0 {
        problems.push(format!("{cyclic} folders do not descend from the root (parent cycle)"));
    }

    let orphans = count(
        conn,
        "SELECT COUNT(*) FROM properties WHERE object_id <> 1 \
         AND object_id NOT IN (SELECT id FROM folders) AND object_id NOT IN (SELECT id FROM messages) \
         AND object_id NOT IN (SELECT id FROM attachments) AND object_id NOT IN (SELECT id FROM recipients)",
    )?;
    if orphans > 0 {
        problems.push(format!("{orphans} properties belong to no object"));
    }

    let max_id = count(
        conn,
        "SELECT MAX(m) FROM (SELECT MAX(id) AS m FROM folders UNION ALL SELECT MAX(id) FROM messages \
         UNION ALL SELECT MAX(id) FROM attachments UNION ALL SELECT MAX(id) FROM recipients)",
    )
    .unwrap_or(0);
    let next: Option<i64> = conn
        .query_row("SELECT value FROM meta WHERE key = 'next_id'", [], |r| r.get(0))
        .optional()?;
    match next {
        Some(next) if next > max_id => {}
        Some(next) => {
            problems.push(format!("the ID counter ({next}) is not above the largest ID ({max_id})"))
        }
        None => problems.push("meta next_id is missing".to_owned()),
    }

    // Every stored value reads back as its tag's type.
    let mut stmt = conn.prepare("SELECT object_id, tag, value FROM properties")?;
    let mut rows = stmt.query([])?;
    let mut bad = 0usize;
    while let Some(row) = rows.next()? {
        let tag = PropTag(u32::try_from(row.get::<_, i64>(1)?).unwrap_or(0));
        if let Err(err) = codec::from_sql(tag, row.get_ref(2)?) {
            bad += 1;
            if bad <= 20 {
                problems.push(format!("object {}: {}", row.get::<_, i64>(0)?, err.message));
            }
        }
    }
    if bad > 20 {
        problems.push(format!("... and {} more unreadable values", bad - 20));
    }

    // The special folders exist, and the store properties point at them.
    if let [mailbox, database] = guids[..] {
        let ids = IdContext { mailbox, database };
        for &which in SpecialFolder::ALL {
            let folder: Option<i64> = conn
                .query_row(
                    "SELECT folder_id FROM special_folders WHERE kind = ?1",
                    [standard::special_key(which)],
                    |r| r.get(0),
                )
                .optional()?;
            let Some(folder) = folder else {
                problems.push(format!("special folder {} is missing", which.english_name()));
                continue;
            };
            if let mapi::provider::SpecialFolderLocation::StoreProperty(tag) = which.location() {
                let stored: Option<Vec<u8>> = conn
                    .query_row(
                        "SELECT value FROM properties WHERE object_id = ?1 AND tag = ?2",
                        rusqlite::params![schema::STORE_OBJECT_ID, i64::from(tag.0)],
                        |r| r.get(0),
                    )
                    .optional()?;
                if stored.as_deref() != Some(&ids.folder_entry_id(folder)[..]) {
                    problems.push(format!(
                        "store property {tag} does not hold the entry ID of {}",
                        which.english_name()
                    ));
                }
            }
        }
    }
    let current = report.schema_version == Some(schema::SCHEMA_VERSION);
    let stale = if !current {
        0
    } else {
        count(
            conn,
            &format!(
                "SELECT COUNT(*) FROM messages m WHERE m.folder_id IS NOT NULL AND m.delivery_time IS NOT \
             (SELECT value FROM properties p WHERE p.object_id = m.id AND p.tag = {})",
                crate::tags::MESSAGE_DELIVERY_TIME.0
            ),
        )?
    };
    if stale > 0 {
        problems.push(format!("{stale} messages have a stale delivery_time sort column"));
    }
    let default_receive =
        count(conn, "SELECT COUNT(*) FROM receive_folders WHERE message_class = ''")?;
    if default_receive != 1 {
        problems.push("the receive folder table has no default entry".to_owned());
    }
    Ok(())
}
