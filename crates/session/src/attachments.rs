//! `Attachments` of an item and each `Attachment` (MS-OXCMSG 2.2.2): reading their members,
//! saving their data to files (streamed, bytes as stored), opening embedded items, adding and
//! removing attachments.

use crate::error::{SessionError, SessionResult};
use crate::files;
use crate::item::Item;
use mapi::catalog::tags;
use mapi::provider::{self, AttachMethod};
use mapi::{ErrorCode, MapiError, OlAttachmentType, PropTag, PropType, PropValue, TaggedValue};
use serde::Serialize;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// How deep embedded items may nest: an attachment of an item embedded 32 levels deep is
/// refused (Outlook's own limit is not documented; real mail rarely nests beyond 3).
pub const MAX_EMBEDDING_DEPTH: usize = 32;
/// The most attachments one item may list through this API (far above Exchange's limits).
pub const MAX_ATTACHMENTS: usize = 100_000;
/// `PidTagRenderingPosition` of an attachment that is not rendered in the body (-1,
/// MS-OXCMSG 2.2.2.16).
const NOT_RENDERED: i32 = -1;
/// `PidTagAttachFlags` bit of an attachment the HTML body shows inline (MS-OXCMSG 2.2.2.18).
const ATT_MHTML_REF: i32 = 0x4;

/// `Attachments`: the attachment table of one item.
#[derive(Debug, Clone)]
pub struct Attachments {
    item: Item,
}

/// `Attachment`.
#[derive(Debug, Clone)]
pub struct Attachment {
    parent: Item,
    index: usize,
    handle: Arc<dyn provider::Attachment>,
}

/// What an attachment is made from (`Attachments.Add(Source, ...)`).
#[derive(Debug, Clone)]
pub enum AttachmentSource {
    /// The file's bytes, taken by value; its name becomes the attachment's file name.
    File(PathBuf),
    /// Bytes and the file name to give them.
    Bytes { file_name: String, data: Vec<u8> },
    /// A link to a file that stays where it is (olByReference).
    Reference(PathBuf),
    /// An item of any store, copied into the attachment as an embedded item (olEmbeddeditem),
    /// with its recipients and attachments; named properties are remapped to this store.
    Item(Item),
}

/// What [`Attachments::add`] is asked, beyond the source (Outlook's optional arguments).
#[derive(Debug, Clone, Default)]
pub struct AddAttachmentOptions {
    /// `Position`: the character of the body where the attachment shows; `None` = not rendered.
    pub position: Option<i32>,
    /// `DisplayName` [default: the file name].
    pub display_name: Option<String>,
    /// A content ID for an inline image the HTML body refers to as `cid:...`.
    pub content_id: Option<String>,
    /// The MIME type [default: from the file name's extension].
    pub mime_tag: Option<String>,
}

/// An attachment's members as plain data (what `outpost attachments` prints).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AttachmentInfo {
    /// `Index`: 1-based position in the collection.
    pub index: usize,
    /// `PidTagAttachNumber`: the attachment's number in its message.
    pub attach_number: u32,
    /// `Type` (`OlAttachmentType`), as its CLI name.
    #[serde(rename = "type")]
    pub attachment_type: OlAttachmentType,
    pub file_name: Option<String>,
    pub display_name: Option<String>,
    pub path_name: Option<String>,
    pub size: Option<i64>,
    pub position: i32,
    pub content_id: Option<String>,
    pub mime_tag: Option<String>,
    pub hidden: bool,
    /// The embedded item's message class and subject, for embedded items.
    pub embedded_class: Option<String>,
    pub embedded_subject: Option<String>,
}

impl Item {
    /// `Attachments`.
    pub fn attachments(&self) -> Attachments {
        Attachments { item: self.clone() }
    }
}

impl Attachments {
    /// The attachment numbers, in table order.
    fn numbers(&self) -> SessionResult<Vec<u32>> {
        let table = self.item.message().attachment_table()?;
        table.set_columns(&[tags::PidTagAttachNumber])?;
        let mut numbers = Vec::new();
        loop {
            let batch = table.query_rows(256)?;
            if batch.is_empty() {
                break;
            }
            for row in batch {
                if numbers.len() >= MAX_ATTACHMENTS {
                    return Err(SessionError::Mapi(MapiError::new(
                        ErrorCode::TooBig,
                        format!("the item has more than {MAX_ATTACHMENTS} attachments"),
                    )));
                }
                if let Some(number) = row.first().and_then(|v| v.value.as_i32()) {
                    numbers.push(number as u32);
                }
            }
        }
        Ok(numbers)
    }

    /// `Count`.
    pub fn count(&self) -> SessionResult<usize> {
        Ok(self.item.message().attachment_table()?.row_count()? as usize)
    }

    /// `Item(Index)`: 1-based, as in COM.
    pub fn item(&self, index: usize) -> SessionResult<Attachment> {
        let numbers = self.numbers()?;
        if index == 0 || index > numbers.len() {
            return Err(SessionError::Mapi(MapiError::invalid_parameter(format!(
                "attachment {index} does not exist: the item has {} attachment(s), numbered from 1",
                numbers.len()
            ))));
        }
        self.open(index, numbers[index - 1])
    }

    fn open(&self, index: usize, number: u32) -> SessionResult<Attachment> {
        let handle: Arc<dyn provider::Attachment> =
            Arc::from(self.item.message().open_attachment(number)?);
        Ok(Attachment { parent: self.item.clone(), index, handle })
    }

    /// Every attachment, in table order (`For Each`).
    pub fn list(&self) -> SessionResult<Vec<Attachment>> {
        self.numbers()?.into_iter().enumerate().map(|(i, n)| self.open(i + 1, n)).collect()
    }

    /// `Add(Source, Type, Position, DisplayName)`: attaches a file (by value or by reference)
    /// or bytes; part of the item from its next `Save`.
    pub fn add(
        &self,
        source: AttachmentSource,
        options: &AddAttachmentOptions,
    ) -> SessionResult<Attachment> {
        self.item.store().check_writable("add an attachment")?;
        let tagged = |tag: PropTag, value: PropValue| TaggedValue { tag, value };
        let by_value = |data: Vec<u8>| {
            vec![
                tagged(
                    tags::PidTagAttachMethod,
                    PropValue::Integer32(AttachMethod::ByValue.code()),
                ),
                tagged(tags::PidTagAttachDataBinary, PropValue::Binary(data)),
            ]
        };
        let (file_name, mut values) = match source {
            AttachmentSource::File(path) => {
                let data = std::fs::read(&path).map_err(|err| read_error(&path, &err))?;
                (file_name_of(&path)?, by_value(data))
            }
            AttachmentSource::Bytes { file_name, data } => (file_name, by_value(data)),
            AttachmentSource::Reference(path) => {
                let name = file_name_of(&path)?;
                let full = path.to_string_lossy().into_owned();
                let values = vec![
                    tagged(
                        tags::PidTagAttachMethod,
                        PropValue::Integer32(AttachMethod::ByReference.code()),
                    ),
                    tagged(tags::PidTagAttachLongPathname, PropValue::String(full.clone())),
                    tagged(tags::PidTagAttachPathname, PropValue::String(full)),
                ];
                (name, values)
            }
            AttachmentSource::Item(item) => return self.add_item(&item, options),
        };
        let extension = Path::new(&file_name)
            .extension()
            .map(|e| format!(".{}", e.to_string_lossy()))
            .unwrap_or_default();
        let mime = options.mime_tag.clone().unwrap_or_else(|| mime_type_for(&extension).to_owned());
        let display = options.display_name.clone().unwrap_or_else(|| file_name.clone());
        values.extend([
            tagged(tags::PidTagAttachLongFilename, PropValue::String(file_name.clone())),
            tagged(tags::PidTagAttachFilename, PropValue::String(file_name.clone())),
            tagged(tags::PidTagAttachExtension, PropValue::String(extension)),
            tagged(tags::PidTagDisplayName, PropValue::String(display)),
            tagged(tags::PidTagAttachMimeTag, PropValue::String(mime)),
            tagged(
                tags::PidTagRenderingPosition,
                PropValue::Integer32(options.position.unwrap_or(NOT_RENDERED)),
            ),
        ]);
        if let Some(cid) = &options.content_id {
            values.push(tagged(tags::PidTagAttachContentId, PropValue::String(cid.clone())));
            values.push(tagged(tags::PidTagAttachFlags, PropValue::Integer32(ATT_MHTML_REF)));
            values.push(tagged(tags::PidTagAttachmentHidden, PropValue::Boolean(true)));
        }
        let handle = self.item.message().create_attachment()?;
        handle.set_props(&values)?;
        handle.save_changes()?;
        self.saved(handle)
    }

    /// A just-saved attachment as a member of the collection, with its index.
    fn saved(&self, handle: Box<dyn provider::Attachment>) -> SessionResult<Attachment> {
        let number = handle.attach_number();
        let index = self
            .numbers()?
            .iter()
            .position(|&n| n == number)
            .map_or_else(|| self.count().unwrap_or(0), |i| i + 1);
        Ok(Attachment { parent: self.item.clone(), index, handle: Arc::from(handle) })
    }

    /// An embedded copy of `item` (its whole content, as `Item::copy` reads it).
    fn add_item(&self, item: &Item, options: &AddAttachmentOptions) -> SessionResult<Attachment> {
        if item.nesting() + 1 > MAX_EMBEDDING_DEPTH {
            return Err(SessionError::Mapi(MapiError::new(
                ErrorCode::TooBig,
                format!(
                    "embedding the item would nest it deeper than {MAX_EMBEDDING_DEPTH} levels"
                ),
            )));
        }
        let mut copier = crate::copy::Copier::new(
            item.store().backend().clone(),
            self.item.store().backend().clone(),
        );
        let content = copier.read_message(item.message().as_ref())?;
        let display = match &options.display_name {
            Some(name) => name.clone(),
            None => item.subject()?.unwrap_or_default(),
        };
        let handle = self.item.message().create_attachment()?;
        handle.set_props(&[
            TaggedValue {
                tag: tags::PidTagAttachMethod,
                value: PropValue::Integer32(AttachMethod::EmbeddedMessage.code()),
            },
            TaggedValue { tag: tags::PidTagDisplayName, value: PropValue::String(display) },
            TaggedValue {
                tag: tags::PidTagRenderingPosition,
                value: PropValue::Integer32(options.position.unwrap_or(NOT_RENDERED)),
            },
        ])?;
        let embedded = handle.open_embedded_message(true)?;
        provider::write_content(embedded.as_ref(), &content)?;
        embedded.save_changes()?;
        handle.save_changes()?;
        self.saved(handle)
    }

    /// `Remove(Index)`: 1-based; the item needs a `Save` to keep the change.
    pub fn remove(&self, index: usize) -> SessionResult<()> {
        self.item.store().check_writable("remove an attachment")?;
        let attachment = self.item(index)?;
        self.item.message().delete_attachment(attachment.attach_number())?;
        Ok(())
    }
}

fn file_name_of(path: &Path) -> SessionResult<String> {
    path.file_name().map(|n| n.to_string_lossy().into_owned()).ok_or_else(|| {
        SessionError::Mapi(MapiError::invalid_parameter(format!(
            "{} names no file",
            path.display()
        )))
    })
}

fn read_error(path: &Path, err: &std::io::Error) -> SessionError {
    let code = match err.kind() {
        std::io::ErrorKind::NotFound => ErrorCode::NotFound,
        std::io::ErrorKind::PermissionDenied => ErrorCode::NoAccess,
        _ => ErrorCode::DiskError,
    };
    SessionError::Mapi(MapiError::new(code, format!("{}: {err}", path.display())))
}

/// The MIME type Outlook gives a file by its extension (the common ones; else octet-stream).
fn mime_type_for(extension: &str) -> &'static str {
    match extension.to_ascii_lowercase().as_str() {
        ".txt" => "text/plain",
        ".htm" | ".html" => "text/html",
        ".csv" => "text/csv",
        ".xml" => "text/xml",
        ".pdf" => "application/pdf",
        ".zip" => "application/zip",
        ".json" => "application/json",
        ".png" => "image/png",
        ".jpg" | ".jpeg" => "image/jpeg",
        ".gif" => "image/gif",
        ".bmp" => "image/bmp",
        ".svg" => "image/svg+xml",
        ".ics" => "text/calendar",
        ".vcf" => "text/vcard",
        ".eml" => "message/rfc822",
        ".msg" => "application/vnd.ms-outlook",
        ".doc" => "application/msword",
        ".docx" => "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        ".xls" => "application/vnd.ms-excel",
        ".xlsx" => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        ".ppt" => "application/vnd.ms-powerpoint",
        ".pptx" => "application/vnd.openxmlformats-officedocument.presentationml.presentation",
        _ => "application/octet-stream",
    }
}

impl Attachment {
    fn get(&self, tag: PropTag) -> SessionResult<Option<PropValue>> {
        Ok(self.handle.get_prop(tag)?)
    }

    fn text(&self, tag: PropTag) -> SessionResult<Option<String>> {
        Ok(match self.get(tag)? {
            Some(PropValue::String(s) | PropValue::String8(s)) if !s.is_empty() => Some(s),
            _ => None,
        })
    }

    /// The provider attachment, for raw MAPI calls.
    pub fn handle(&self) -> &Arc<dyn provider::Attachment> {
        &self.handle
    }

    /// The item the attachment belongs to (`Parent`).
    pub fn parent(&self) -> &Item {
        &self.parent
    }

    /// `Index`: 1-based position in the item's collection.
    pub fn index(&self) -> usize {
        self.index
    }

    /// `PidTagAttachNumber`.
    pub fn attach_number(&self) -> u32 {
        self.handle.attach_number()
    }

    /// `PidTagAttachMethod` (afByValue when absent, as MAPI defaults it).
    pub fn method(&self) -> SessionResult<AttachMethod> {
        let code = self.get(tags::PidTagAttachMethod)?.and_then(|v| v.as_i32()).unwrap_or(1);
        Ok(AttachMethod::from_code(code).unwrap_or(AttachMethod::ByValue))
    }

    /// `Type`.
    pub fn attachment_type(&self) -> SessionResult<OlAttachmentType> {
        Ok(match self.method()? {
            AttachMethod::ByReference | AttachMethod::ByReferenceOnly => {
                OlAttachmentType::ByReference
            }
            AttachMethod::EmbeddedMessage => OlAttachmentType::EmbeddedItem,
            AttachMethod::Storage => OlAttachmentType::Ole,
            AttachMethod::None | AttachMethod::ByValue => OlAttachmentType::ByValue,
        })
    }

    /// `FileName`: `PidTagAttachLongFilename`, else the 8.3 `PidTagAttachFilename`.
    pub fn file_name(&self) -> SessionResult<Option<String>> {
        match self.text(tags::PidTagAttachLongFilename)? {
            Some(name) => Ok(Some(name)),
            None => self.text(tags::PidTagAttachFilename),
        }
    }

    /// `DisplayName`: `PidTagDisplayName`, else the file name.
    pub fn display_name(&self) -> SessionResult<Option<String>> {
        match self.text(tags::PidTagDisplayName)? {
            Some(name) => Ok(Some(name)),
            None => self.file_name(),
        }
    }

    /// `PathName`: the linked file of a by-reference attachment.
    pub fn path_name(&self) -> SessionResult<Option<String>> {
        match self.text(tags::PidTagAttachLongPathname)? {
            Some(path) => Ok(Some(path)),
            None => self.text(tags::PidTagAttachPathname),
        }
    }

    /// `Size`: `PidTagAttachSize` (the stored attachment object, a little more than its data);
    /// for a store that does not compute it (the embedded mailbox), the size of the data.
    pub fn size(&self) -> SessionResult<Option<i64>> {
        if let Some(size) = self.get(tags::PidTagAttachSize)?.and_then(|v| v.as_i64()) {
            return Ok(Some(size));
        }
        Ok(match self.get(tags::PidTagAttachDataBinary)? {
            Some(PropValue::Binary(data)) => i64::try_from(data.len()).ok(),
            _ => None,
        })
    }

    /// `Position` (`PidTagRenderingPosition`; -1 when not rendered in the body).
    pub fn position(&self) -> SessionResult<i32> {
        Ok(self
            .get(tags::PidTagRenderingPosition)?
            .and_then(|v| v.as_i32())
            .unwrap_or(NOT_RENDERED))
    }

    /// The content ID an HTML body refers to as `cid:`.
    pub fn content_id(&self) -> SessionResult<Option<String>> {
        self.text(tags::PidTagAttachContentId)
    }

    /// The MIME type (`PidTagAttachMimeTag`).
    pub fn mime_tag(&self) -> SessionResult<Option<String>> {
        self.text(tags::PidTagAttachMimeTag)
    }

    /// Hidden from the attachment list: `PidTagAttachmentHidden` (MS-OXCMSG 2.2.2.24), as an
    /// inline image of an HTML body is.
    pub fn hidden(&self) -> SessionResult<bool> {
        Ok(matches!(self.get(tags::PidTagAttachmentHidden)?, Some(PropValue::Boolean(true))))
    }

    /// Every property of the attachment.
    pub fn all_properties(&self) -> SessionResult<Vec<TaggedValue>> {
        Ok(self.handle.get_all_props()?)
    }

    /// The embedded item of an olEmbeddeditem attachment, opened as an item (not saved
    /// anywhere; its entry ID is `None`). Items nest at most [`MAX_EMBEDDING_DEPTH`] deep.
    pub fn embedded_item(&self) -> SessionResult<Item> {
        if self.method()? != AttachMethod::EmbeddedMessage {
            return Err(SessionError::Mapi(MapiError::new(
                ErrorCode::NotFound,
                format!("attachment {} is not an embedded item", self.index),
            )));
        }
        let depth = self.parent.nesting() + 1;
        if depth > MAX_EMBEDDING_DEPTH {
            return Err(SessionError::Mapi(MapiError::new(
                ErrorCode::TooBig,
                format!(
                    "the embedded item would be nested {depth} levels deep; at most \
                     {MAX_EMBEDDING_DEPTH} are opened"
                ),
            )));
        }
        let message = self.handle.open_embedded_message(false)?;
        Item::open_embedded(self.parent.store().clone(), Arc::from(message), depth)
    }

    /// The attachment's data as a stream, bytes exactly as stored: `PidTagAttachDataBinary`
    /// for by-value attachments, the OLE storage (`PidTagAttachDataObject`) for olOLE ones,
    /// the linked file for by-reference ones.
    pub fn open_data(&self) -> SessionResult<Box<dyn Read + Send>> {
        match self.method()? {
            AttachMethod::EmbeddedMessage => Err(SessionError::Mapi(MapiError::new(
                ErrorCode::NoSupport,
                format!(
                    "attachment {} is an embedded item: open it with embedded_item() (saving it \
                     as a .msg file comes with the .msg writer)",
                    self.index
                ),
            ))),
            AttachMethod::ByReference | AttachMethod::ByReferenceOnly => {
                let path = self.path_name()?.ok_or_else(|| {
                    SessionError::Mapi(MapiError::not_found(format!(
                        "attachment {} links to no file",
                        self.index
                    )))
                })?;
                let file =
                    std::fs::File::open(&path).map_err(|e| read_error(Path::new(&path), &e))?;
                Ok(Box::new(file))
            }
            AttachMethod::Storage => {
                let object = tags::PidTagAttachDataObject.with_type(PropType::Binary);
                Ok(self
                    .handle
                    .open_property_stream(object)
                    .or_else(|_| self.handle.open_property_stream(tags::PidTagAttachDataObject))?)
            }
            AttachMethod::None | AttachMethod::ByValue => {
                match self.handle.open_property_stream(tags::PidTagAttachDataBinary) {
                    Ok(stream) => Ok(stream),
                    // An attachment without data (Outlook writes some) saves as an empty file.
                    Err(err) if err.code == ErrorCode::NotFound => Ok(Box::new(std::io::empty())),
                    Err(err) => Err(err.into()),
                }
            }
        }
    }

    /// `SaveAsFile(Path)`: writes the data to `path` (replacing a file there, as Outlook
    /// does: the caller chose the path), streamed, through a temporary file renamed into
    /// place. Returns the bytes written.
    pub fn save_as_file(&self, path: &Path) -> SessionResult<u64> {
        let mut data = self.open_data()?;
        files::save_replacing(path, &mut data)
    }

    /// Saves the data into `directory` under the attachment's own file name, made safe
    /// ([`files::sanitize_file_name`]) and numbered when taken; never overwrites. Returns
    /// the path written.
    pub fn save_into(&self, directory: &Path) -> SessionResult<PathBuf> {
        self.save_with(&mut files::NewFiles::new(directory))
    }

    /// [`Attachment::save_into`] for one of many files saved into one directory.
    pub fn save_with(&self, files: &mut files::NewFiles) -> SessionResult<PathBuf> {
        let name = match self.file_name()? {
            Some(name) => name,
            None => self.display_name()?.unwrap_or_default(),
        };
        let fallback = format!("attachment-{}", self.index);
        let mut data = self.open_data()?;
        files.save(&name, &fallback, &mut data)
    }

    /// The members as plain data.
    pub fn info(&self) -> SessionResult<AttachmentInfo> {
        let attachment_type = self.attachment_type()?;
        let (embedded_class, embedded_subject) =
            if attachment_type == OlAttachmentType::EmbeddedItem {
                match self.embedded_item() {
                    Ok(item) => (Some(item.message_class().to_owned()), item.subject()?),
                    Err(_) => (None, None),
                }
            } else {
                (None, None)
            };
        Ok(AttachmentInfo {
            index: self.index,
            attach_number: self.attach_number(),
            attachment_type,
            file_name: self.file_name()?,
            display_name: self.display_name()?,
            path_name: self.path_name()?,
            size: self.size()?,
            position: self.position()?,
            content_id: self.content_id()?,
            mime_tag: self.mime_tag()?,
            hidden: self.hidden()?,
            embedded_class,
            embedded_subject,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mime_types_follow_the_extension_ignoring_case() {
        assert_eq!(mime_type_for(".PDF"), "application/pdf");
        assert_eq!(mime_type_for(".png"), "image/png");
        assert_eq!(mime_type_for(""), "application/octet-stream");
        assert_eq!(mime_type_for(".weird"), "application/octet-stream");
    }
}
