//! Cached-mode OSTs: the Exchange entry IDs an OST holds, resolved to its cached folders and
//! messages.
//!
//! An OST caches an Exchange mailbox. Its special-folder properties (MS-OXOSFLD 2.2) hold the
//! server's entry IDs (MS-OXCDATA 2.2.4.1 folder, 2.2.4.2 message): the mailbox's provider UID,
//! an object type, and GIDs (replica GUID + 6-byte global counter). Outlook opens them against
//! the cached objects. MS-PST does not describe how an OST relates them to NIDs; the corpus
//! OSTs (Outlook 2010 and 2013, Exchange and outlook.com) all do it the same way, read here:
//!
//! - The store's property 0x6615 (`PtypGuid`) is the mailbox's provider UID.
//! - Node 0x801 is a heap whose user root holds two HIDs; the first is a BTH (MS-PST 2.3.2)
//!   from each replica GUID (16-byte key) to its replica ID (2 bytes), the short form that
//!   MS-OXCDATA 2.2.1.1 FIDs and 2.2.1.2 MIDs use in place of the GUID.
//! - Every cached folder and message keeps its own FID/MID in property 0x67F4
//!   (`PtypInteger64`; its little-endian bytes are the replica ID, LE, then the global counter,
//!   big-endian, as MS-OXCDATA 2.2.1.1 lays out a FID). Contents tables carry it as a column.
//! - The folders Exchange names at logon (mailbox root, IPM subtree, Deleted Items, Outbox,
//!   Sent Items, Finder, Views, Common Views) are cached under replica ID 0 with fixed
//!   counters ([`LOGON_FOLDER_SLOTS`]); the OST's store object has none of the MS-OXOSFLD
//!   2.2.2 store properties that name them, so the provider answers those from here.
//!
//! Anything missing or malformed in these structures leaves the Exchange IDs unresolved
//! (`MAPI_E_NOT_FOUND`), never a failure to mount.

use crate::ltp::bth::HeapTree;
use crate::ltp::{HeapId, HeapNode, LtpNode, PropertyContext};
use crate::messaging::PstFile;
use crate::ndb::NodeId;
use mapi::entry_id::{EntryId, Gid};
use mapi::provider::SpecialFolder;
use mapi::{MapiError, MapiResult, PropValue};
use std::collections::HashMap;
use std::sync::OnceLock;

/// The store property holding the mailbox's provider UID.
const MAILBOX_PROVIDER_UID_ID: u16 = 0x6615;
/// The node mapping replica GUIDs to replica IDs.
const REPLICA_MAP: NodeId = NodeId(0x801);
/// The property holding a cached object's own FID or MID.
pub(crate) const OBJECT_ID_PROP: u16 = 0x67F4;

/// (special folder, global counter under replica ID 0, the slot of its parent).
const LOGON_FOLDER_SLOTS: &[(SpecialFolder, u64, u64)] = &[
    (SpecialFolder::CommonViews, 0x06, MAILBOX_ROOT_SLOT),
    (SpecialFolder::Finder, 0x07, MAILBOX_ROOT_SLOT),
    (SpecialFolder::Views, 0x09, MAILBOX_ROOT_SLOT),
    (SpecialFolder::IpmSubtree, IPM_SUBTREE_SLOT, MAILBOX_ROOT_SLOT),
    (SpecialFolder::DeletedItems, 0x0B, IPM_SUBTREE_SLOT),
    (SpecialFolder::Outbox, 0x0D, IPM_SUBTREE_SLOT),
    (SpecialFolder::SentItems, 0x0E, IPM_SUBTREE_SLOT),
];
const MAILBOX_ROOT_SLOT: u64 = 0x05;
const IPM_SUBTREE_SLOT: u64 = 0x0A;

/// The short ID of a cached object as property 0x67F4 holds it.
fn short_id(replica_id: u16, global_counter: u64) -> i64 {
    let mut bytes = [0u8; 8];
    bytes[..2].copy_from_slice(&replica_id.to_le_bytes());
    bytes[2..].copy_from_slice(&global_counter.to_be_bytes()[2..]);
    i64::from_le_bytes(bytes)
}

/// What an OST needs to resolve Exchange entry IDs.
#[derive(Debug)]
pub(crate) struct OstIds {
    mailbox_uid: [u8; 16],
    replicas: Vec<([u8; 16], u16)>,
    /// Short FID → folder NID, built on first use.
    folders: OnceLock<HashMap<i64, NodeId>>,
}

impl OstIds {
    /// Reads the mailbox UID and the replica map; `None` when the file is not an OST or lacks
    /// either.
    pub(crate) fn read(file: &PstFile, store: &PropertyContext) -> Option<OstIds> {
        if !file.header().is_ost() {
            return None;
        }
        let mailbox_uid = match store.value(MAILBOX_PROVIDER_UID_ID) {
            Ok(Some(PropValue::Guid(guid))) => guid.to_le_bytes(),
            _ => return None,
        };
        let replicas = match read_replica_map(file) {
            Ok(replicas) => replicas,
            Err(why) => {
                tracing::debug!(%why, "OST replica map (NID 0x801) unreadable");
                return None;
            }
        };
        Some(OstIds { mailbox_uid, replicas, folders: OnceLock::new() })
    }

    pub(crate) fn mailbox_uid(&self) -> [u8; 16] {
        self.mailbox_uid
    }

    fn replica_id(&self, gid: &Gid) -> MapiResult<u16> {
        let guid = gid.database_guid.to_le_bytes();
        self.replicas.iter().find(|(g, _)| *g == guid).map(|(_, id)| *id).ok_or_else(|| {
            MapiError::not_found(format!(
                "the OST caches nothing of replica {} (its replica map does not list it)",
                gid.database_guid
            ))
        })
    }

    fn folder_index(&self, file: &PstFile) -> &HashMap<i64, NodeId> {
        self.folders.get_or_init(|| {
            let mut index = HashMap::new();
            let Ok(nodes) = file.nodes() else { return index };
            for node in nodes.iter().filter(|n| matches!(n.nid.type_code(), 0x02 | 0x03)) {
                match file.property_context(node.nid).map(|pc| pc.value(OBJECT_ID_PROP)) {
                    Ok(Ok(Some(PropValue::Integer64(id)))) => {
                        index.entry(id).or_insert(node.nid);
                    }
                    Ok(Err(err)) | Err(err) => {
                        tracing::debug!(nid = %node.nid, %err, "OST folder without a readable FID");
                    }
                    Ok(Ok(_)) => {}
                }
            }
            index
        })
    }

    /// The cached folder a folder GID names.
    fn folder_nid(&self, file: &PstFile, gid: &Gid) -> MapiResult<NodeId> {
        let replica = self.replica_id(gid)?;
        let key = short_id(replica, gid.global_counter.value());
        self.folder_index(file).get(&key).copied().ok_or_else(|| {
            MapiError::not_found(format!(
                "the OST caches no folder {}-{:#x} (replica ID {replica})",
                gid.database_guid,
                gid.global_counter.value()
            ))
        })
    }

    /// The cached message a message ID names: the row of its folder's contents table (normal
    /// or associated) whose MID is the one asked for.
    fn message_nid(
        &self,
        file: &PstFile,
        folder_gid: &Gid,
        message_gid: &Gid,
    ) -> MapiResult<NodeId> {
        let folder = self.folder_nid(file, folder_gid)?;
        let key = short_id(self.replica_id(message_gid)?, message_gid.global_counter.value());
        for table_type in [0x0E, 0x0F] {
            let Ok(table) = file.table_context(folder.with_type(table_type)) else { continue };
            for row in table.rows() {
                let row = row?;
                if let Ok(Some(PropValue::Integer64(id))) = row.value(OBJECT_ID_PROP)
                    && id == key
                {
                    return Ok(NodeId(row.row_id()));
                }
            }
        }
        Err(MapiError::not_found(format!(
            "the OST caches no message {}-{:#x} in folder {folder}",
            message_gid.database_guid,
            message_gid.global_counter.value()
        )))
    }

    /// The NID an Exchange folder or message entry ID of this mailbox names.
    pub(crate) fn resolve(&self, file: &PstFile, entry_id: &[u8]) -> MapiResult<NodeId> {
        match EntryId::decode(entry_id).map_err(MapiError::from)? {
            EntryId::Folder(folder) => self.folder_nid(file, &folder.folder),
            EntryId::Message(message) => self.message_nid(file, &message.folder, &message.message),
            other => Err(MapiError::invalid_entry_id(format!(
                "an entry ID with the mailbox's provider UID is an Exchange folder or message ID \
                 (MS-OXCDATA 2.2.4.1/2.2.4.2), not a {}",
                other.kind_name()
            ))),
        }
    }

    /// A folder Exchange names at logon, from its fixed slot, if it sits under the folder its
    /// slot says (so a file laid out otherwise gives nothing rather than a wrong folder).
    pub(crate) fn logon_folder(&self, file: &PstFile, which: SpecialFolder) -> Option<NodeId> {
        let (_, slot, parent_slot) = LOGON_FOLDER_SLOTS.iter().find(|(w, _, _)| *w == which)?;
        let index = self.folder_index(file);
        let nid = *index.get(&short_id(0, *slot))?;
        let parent = *index.get(&short_id(0, *parent_slot))?;
        let entry = file.ndb().node(nid).ok()?;
        (entry.nid_parent == parent).then_some(nid)
    }
}

/// The replica map of node 0x801 (see the module docs).
fn read_replica_map(file: &PstFile) -> Result<Vec<([u8; 16], u16)>, String> {
    let node = LtpNode::open(file.ndb(), REPLICA_MAP).map_err(|e| e.to_string())?;
    let heap = HeapNode::open(&node).map_err(|e| e.to_string())?;
    let root = heap.item(heap.user_root).map_err(|e| e.to_string())?;
    let header = root
        .get(..4)
        .map(|b| HeapId(u32::from_le_bytes([b[0], b[1], b[2], b[3]])))
        .ok_or("its user root is shorter than a HID")?;
    let tree = HeapTree::open(&heap, header).map_err(|e| e.to_string())?;
    if tree.cb_key != 16 || tree.cb_ent != 2 {
        return Err(format!(
            "its BTH has {}-byte keys and {}-byte entries, not a GUID and a replica ID",
            tree.cb_key, tree.cb_ent
        ));
    }
    let records = tree.records(&heap).map_err(|e| e.to_string())?;
    Ok(records
        .into_iter()
        .filter_map(|(key, value)| {
            Some((<[u8; 16]>::try_from(key).ok()?, u16::from_le_bytes(value.try_into().ok()?)))
        })
        .collect())
}

#[cfg(test)]
mod tests {
    use super::short_id;

    #[test]
    fn a_short_id_is_the_replica_id_then_the_big_endian_counter() {
        // The Calendar of pst-extractor-outlookcom-2013.ost: replica 1, counter 0x10D.
        assert_eq!(short_id(1, 0x10D) as u64, 0x0D01_0000_0000_0001);
        assert_eq!(short_id(0, 0x0A) as u64, 0x0A00_0000_0000_0000);
    }
}
