//! The master category list (`NameSpace.Categories`): the XML stream of the
//! `IPM.Configuration.CategoryList` FAI message in the default store's Calendar (MS-OXOCFG
//! 2.2.5.2.2). Categories are read and written there as Outlook does, so a mailbox or PST
//! carries its list; attributes Outpost does not model (usage counts, last-used times) are kept
//! as they were.

use crate::error::{SessionError, SessionResult};
use crate::namespace::NameSpace;
use crate::store::Store;
use mapi::catalog::tags;
use mapi::provider::Message;
use mapi::{ErrorCode, MapiError, OlDefaultFolders, PropValue, TaggedValue};
use quick_xml::events::Event;
use serde::Serialize;

/// `PidTagMessageClass` of the category list's configuration message.
pub const CATEGORY_LIST_CLASS: &str = "IPM.Configuration.CategoryList";
/// The most categories read from a list (Outlook's own UI handles a few hundred).
const MAX_CATEGORIES: usize = 10_000;
/// Outlook's colors run from olCategoryColorNone (-1) through olCategoryColorDarkMaroon (24).
const COLORS: std::ops::RangeInclusive<i32> = -1..=24;
/// OlCategoryShortcutKey: none (0), Ctrl+F2 (1) ... Ctrl+F12 (11).
const SHORTCUTS: std::ops::RangeInclusive<i32> = 0..=11;

/// `Category`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Category {
    /// `Name`.
    pub name: String,
    /// `Color` (`OlCategoryColor`: -1 none, 0 red, 1 orange, ..., 24 dark maroon).
    pub color: i32,
    /// `ShortcutKey` (`OlCategoryShortcutKey`: 0 none, 1 Ctrl+F2, ..., 11 Ctrl+F12).
    pub shortcut_key: i32,
    /// `CategoryID`: the `{GUID}` of the list; `None` for Outlook's default categories of a
    /// store that has no list yet.
    pub category_id: Option<String>,
    /// Every attribute of the element, in order, so that what Outpost does not model is
    /// written back unchanged.
    #[serde(skip)]
    attributes: Vec<(String, String)>,
}

impl Category {
    fn attribute(&self, name: &str) -> Option<&str> {
        self.attributes.iter().find(|(k, _)| k == name).map(|(_, v)| v.as_str())
    }

    fn set_attribute(&mut self, name: &str, value: String) {
        match self.attributes.iter_mut().find(|(k, _)| k == name) {
            Some(slot) => slot.1 = value,
            None => self.attributes.push((name.to_owned(), value)),
        }
    }

    fn from_attributes(attributes: Vec<(String, String)>) -> Category {
        let mut category = Category {
            name: String::new(),
            color: -1,
            shortcut_key: 0,
            category_id: None,
            attributes,
        };
        category.name = category.attribute("name").unwrap_or_default().to_owned();
        category.color = category.attribute("color").and_then(|c| c.parse().ok()).unwrap_or(-1);
        category.shortcut_key =
            category.attribute("keyboardShortcut").and_then(|c| c.parse().ok()).unwrap_or(0);
        category.category_id = category.attribute("guid").map(str::to_owned);
        category
    }

    fn new(name: &str, color: i32, shortcut_key: i32) -> Category {
        let guid = format!("{{{}}}", uuid::Uuid::new_v4().to_string().to_uppercase());
        Category::from_attributes(vec![
            ("name".into(), name.to_owned()),
            ("color".into(), color.to_string()),
            ("keyboardShortcut".into(), shortcut_key.to_string()),
            ("usageCount".into(), "0".into()),
            ("guid".into(), guid),
            ("renameOnFirstUse".into(), "0".into()),
        ])
    }
}

/// The six categories a new Outlook profile shows before anything is stored.
fn outlook_defaults() -> Vec<Category> {
    [
        ("Red Category", 0),
        ("Orange Category", 1),
        ("Yellow Category", 3),
        ("Green Category", 4),
        ("Blue Category", 7),
        ("Purple Category", 8),
    ]
    .into_iter()
    .map(|(name, color)| {
        let mut category = Category::new(name, color, 0);
        category.category_id = None;
        category.attributes.retain(|(k, _)| k != "guid");
        category.set_attribute("renameOnFirstUse", "1".into());
        category
    })
    .collect()
}

/// A parsed list: the root element's attributes and the categories.
#[derive(Debug, Clone, Default)]
struct CategoryList {
    root_attributes: Vec<(String, String)>,
    categories: Vec<Category>,
}

fn malformed(detail: String) -> SessionError {
    SessionError::Mapi(MapiError::new(
        ErrorCode::CorruptData,
        format!("the category list (PidTagRoamingXmlStream of {CATEGORY_LIST_CLASS}): {detail}"),
    ))
}

fn attributes_of(
    element: &quick_xml::events::BytesStart<'_>,
) -> SessionResult<Vec<(String, String)>> {
    let mut out = Vec::new();
    for attribute in element.attributes() {
        let attribute = attribute.map_err(|e| malformed(e.to_string()))?;
        let key = attribute.key.as_ref().to_owned();
        let value = attribute
            .normalized_value(quick_xml::XmlVersion::Implicit1_0)
            .map_err(|e| malformed(e.to_string()))?;
        out.push((key, value.into_owned()));
    }
    Ok(out)
}

fn parse(bytes: &[u8]) -> SessionResult<CategoryList> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let text = std::str::from_utf8(bytes).map_err(|e| malformed(format!("not UTF-8: {e}")))?;
    let mut reader = quick_xml::Reader::from_str(text);
    let mut list = CategoryList::default();
    loop {
        let event = reader
            .read_event()
            .map_err(|e| malformed(format!("at byte {}: {e}", reader.buffer_position())))?;
        match event {
            Event::Start(element) | Event::Empty(element) => match element.name().as_ref() {
                "categories" => list.root_attributes = attributes_of(&element)?,
                "category" => {
                    if list.categories.len() >= MAX_CATEGORIES {
                        return Err(malformed(format!("more than {MAX_CATEGORIES} categories")));
                    }
                    list.categories.push(Category::from_attributes(attributes_of(&element)?));
                }
                _ => {}
            },
            Event::Eof => break,
            _ => {}
        }
    }
    Ok(list)
}

fn write(list: &CategoryList) -> Vec<u8> {
    let attrs = |attributes: &[(String, String)]| -> String {
        attributes
            .iter()
            .map(|(k, v)| format!(" {k}=\"{}\"", quick_xml::escape::escape(v.as_str())))
            .collect()
    };
    let mut root = list.root_attributes.clone();
    if !root.iter().any(|(k, _)| k == "xmlns") {
        root.push(("xmlns".into(), "CategoryList.xsd".into()));
    }
    let mut xml = format!("<?xml version=\"1.0\"?>\r\n<categories{}>", attrs(&root));
    for category in &list.categories {
        xml.push_str(&format!("<category{}/>", attrs(&category.attributes)));
    }
    xml.push_str("</categories>");
    xml.into_bytes()
}

/// The configuration message holding the list, if the store has one.
fn find_message(store: &Store) -> SessionResult<Option<Box<dyn Message>>> {
    let calendar = store.get_default_folder(OlDefaultFolders::Calendar)?;
    let table = calendar.handle().contents_table(true)?;
    table.set_columns(&[tags::PidTagEntryId, tags::PidTagMessageClass])?;
    loop {
        let rows = table.query_rows(256)?;
        if rows.is_empty() {
            return Ok(None);
        }
        for row in rows {
            let is_list = matches!(
                row.get(1).map(|v| &v.value),
                Some(PropValue::String(c) | PropValue::String8(c)) if c.eq_ignore_ascii_case(CATEGORY_LIST_CLASS)
            );
            if let (true, Some(PropValue::Binary(id))) = (is_list, row.first().map(|v| &v.value)) {
                return Ok(Some(store.backend().open_message(id)?));
            }
        }
    }
}

/// The configuration message (if any) and the list it holds (if it holds one).
type Loaded = (Option<Box<dyn Message>>, Option<CategoryList>);

fn load(store: &Store) -> SessionResult<Loaded> {
    let message = find_message(store)?;
    let list = match &message {
        Some(message) => match message.get_prop(tags::PidTagRoamingXmlStream)? {
            Some(PropValue::Binary(xml)) => Some(parse(&xml)?),
            _ => None,
        },
        None => None,
    };
    Ok((message, list))
}

fn save(
    store: &Store,
    message: Option<Box<dyn Message>>,
    list: &CategoryList,
) -> SessionResult<()> {
    store.check_writable("change the category list")?;
    let message = match message {
        Some(message) => message,
        None => {
            let calendar = store.get_default_folder(OlDefaultFolders::Calendar)?;
            let message = calendar.handle().create_message(true)?;
            message.set_props(&[
                TaggedValue {
                    tag: tags::PidTagMessageClass,
                    value: PropValue::String(CATEGORY_LIST_CLASS.into()),
                },
                TaggedValue { tag: tags::PidTagSubject, value: PropValue::String(String::new()) },
            ])?;
            message
        }
    };
    message.set_props(&[TaggedValue {
        tag: tags::PidTagRoamingXmlStream,
        value: PropValue::Binary(write(list)),
    }])?;
    message.save_changes()?;
    Ok(())
}

/// The first color of OlCategoryColor (red 0 up to 24) used least by `categories`, which is
/// what Outlook gives a category added without one.
fn least_used_color(categories: &[Category]) -> i32 {
    (0..=24)
        .min_by_key(|color| categories.iter().filter(|c| c.color == *color).count())
        .unwrap_or(0)
}

impl NameSpace {
    /// `Categories`: the master category list of the default store; Outlook's six default
    /// categories when the store has no list yet.
    pub fn categories(&self) -> SessionResult<Vec<Category>> {
        let store = self.default_store()?;
        Ok(match load(&store)?.1 {
            Some(list) => list.categories,
            None => outlook_defaults(),
        })
    }

    /// `Categories.Add(Name, Color, ShortcutKey)`: a name already in the list (ignoring case)
    /// is `MAPI_E_COLLISION`; without a color the least-used one is taken.
    pub fn add_category(
        &self,
        name: &str,
        color: Option<i32>,
        shortcut_key: Option<i32>,
    ) -> SessionResult<Category> {
        let name = name.trim();
        if name.is_empty() {
            return Err(SessionError::Mapi(MapiError::invalid_parameter(
                "a category needs a name",
            )));
        }
        if let Some(color) = color.filter(|c| !COLORS.contains(c)) {
            return Err(SessionError::Mapi(MapiError::invalid_parameter(format!(
                "color {color} is not an OlCategoryColor (-1 to 24)"
            ))));
        }
        if let Some(key) = shortcut_key.filter(|k| !SHORTCUTS.contains(k)) {
            return Err(SessionError::Mapi(MapiError::invalid_parameter(format!(
                "shortcut key {key} is not an OlCategoryShortcutKey (0 to 11)"
            ))));
        }
        let store = self.default_store()?;
        store.check_writable("change the category list")?;
        let (message, list) = load(&store)?;
        let mut list = list.unwrap_or_else(|| CategoryList {
            root_attributes: vec![("default".into(), String::new())],
            categories: outlook_defaults()
                .into_iter()
                .map(|d| Category::new(&d.name, d.color, d.shortcut_key))
                .collect(),
        });
        if list.categories.iter().any(|c| c.name.eq_ignore_ascii_case(name)) {
            return Err(SessionError::Mapi(MapiError::new(
                ErrorCode::Collision,
                format!("the category list already has {name:?}"),
            )));
        }
        let color = color.unwrap_or_else(|| least_used_color(&list.categories));
        let category = Category::new(name, color, shortcut_key.unwrap_or(0));
        list.categories.push(category.clone());
        save(&store, message, &list)?;
        Ok(category)
    }

    /// `Categories.Remove(Index)`: by name (ignoring case) or 1-based index.
    pub fn remove_category(&self, name_or_index: &str) -> SessionResult<Category> {
        let store = self.default_store()?;
        store.check_writable("change the category list")?;
        let (message, list) = load(&store)?;
        let mut list = list.unwrap_or_else(|| CategoryList {
            root_attributes: Vec::new(),
            categories: outlook_defaults()
                .into_iter()
                .map(|d| Category::new(&d.name, d.color, d.shortcut_key))
                .collect(),
        });
        let position = match name_or_index.trim().parse::<usize>() {
            Ok(index) if (1..=list.categories.len()).contains(&index) => Some(index - 1),
            _ => list
                .categories
                .iter()
                .position(|c| c.name.eq_ignore_ascii_case(name_or_index.trim())),
        }
        .ok_or_else(|| {
            SessionError::Mapi(MapiError::not_found(format!(
                "the category list has no {name_or_index:?} ({} categories)",
                list.categories.len()
            )))
        })?;
        let removed = list.categories.remove(position);
        save(&store, message, &list)?;
        Ok(removed)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const OUTLOOK_XML: &str = "<?xml version=\"1.0\"?>\r\n<categories default=\"\" \
        lastSavedSession=\"2\" lastSavedTime=\"2024-03-01T10:00:00.000\" xmlns=\"CategoryList.xsd\">\
        <category name=\"Red Category\" color=\"0\" keyboardShortcut=\"0\" usageCount=\"3\" \
        lastTimeUsed=\"2024-02-01T09:00:00.000\" guid=\"{0F1A2B3C-0000-4000-8000-000000000001}\" \
        renameOnFirstUse=\"1\"/><category name=\"Q&amp;A &lt;team&gt;\" color=\"7\" \
        keyboardShortcut=\"2\" usageCount=\"0\" guid=\"{0F1A2B3C-0000-4000-8000-000000000002}\" \
        renameOnFirstUse=\"0\"/></categories>";

    #[test]
    fn an_outlook_list_parses_and_writes_back_what_it_does_not_model() {
        let list = parse(OUTLOOK_XML.as_bytes()).unwrap();
        assert_eq!(list.categories.len(), 2);
        assert_eq!(list.categories[1].name, "Q&A <team>");
        assert_eq!(list.categories[1].color, 7);
        assert_eq!(list.categories[1].shortcut_key, 2);
        assert_eq!(
            list.categories[0].category_id.as_deref(),
            Some("{0F1A2B3C-0000-4000-8000-000000000001}")
        );
        let again = parse(&write(&list)).unwrap();
        assert_eq!(again.categories, list.categories);
        assert_eq!(again.root_attributes, list.root_attributes);
        assert_eq!(again.categories[0].attribute("usageCount"), Some("3"));
    }

    #[test]
    fn malformed_lists_are_errors_not_panics() {
        for bad in [
            &b"<categories><category name=\"x"[..],
            b"\xff\xfe<",
            b"<categories><category name='a' name='b'/>",
        ] {
            let err = parse(bad).unwrap_err();
            assert_eq!(err.code(), ErrorCode::CorruptData, "{err}");
        }
    }

    #[test]
    fn the_least_used_color_comes_first_in_enumeration_order() {
        let used = |colors: &[i32]| -> Vec<Category> {
            colors.iter().map(|&c| Category::new("x", c, 0)).collect()
        };
        assert_eq!(least_used_color(&used(&[])), 0);
        assert_eq!(least_used_color(&used(&[0, 1, 3])), 2);
        let all: Vec<i32> = (0..=24).collect();
        assert_eq!(least_used_color(&used(&all)), 0);
    }
}
