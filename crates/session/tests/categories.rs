//! The master category list, stored as Outlook stores it (MS-OXOCFG 2.2.5.2.2).

mod common;

use common::Fixture;
use mapi::catalog::tags;
use mapi::{ErrorCode, OlDefaultFolders, PropValue};

#[test]
fn categories_persist_in_the_calendars_configuration_message() {
    let fx = Fixture::new();
    let ns = fx.logged_on();
    let defaults = ns.categories().unwrap();
    assert_eq!(defaults.len(), 6);
    assert!(defaults.iter().all(|c| c.category_id.is_none()));

    let added = ns.add_category("Project X", None, Some(3)).unwrap();
    assert_eq!(added.color, 2, "peach is the first color the defaults leave unused");
    assert!(added.category_id.as_deref().is_some_and(|id| id.starts_with('{') && id.len() == 38));
    let err = ns.add_category("PROJECT x", Some(1), None).unwrap_err();
    assert_eq!(err.code(), ErrorCode::Collision);
    assert_eq!(
        ns.add_category("y", Some(25), None).unwrap_err().code(),
        ErrorCode::InvalidParameter
    );

    // Another session of the same profile reads the list from the store.
    let other = fx.app.new_session();
    other.logon(None, None, false, false).unwrap();
    let list = other.categories().unwrap();
    assert_eq!(list.len(), 7);
    assert_eq!(list[6], added);
    assert!(list.iter().all(|c| c.category_id.is_some()), "the defaults were stored with IDs");

    // The list is the XML stream of an IPM.Configuration.CategoryList FAI message in Calendar.
    let calendar = ns.get_default_folder(OlDefaultFolders::Calendar).unwrap();
    let table = calendar.handle().contents_table(true).unwrap();
    table.set_columns(&[tags::PidTagMessageClass, tags::PidTagRoamingXmlStream]).unwrap();
    let rows = table.query_rows(10).unwrap();
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0][0].value, PropValue::String("IPM.Configuration.CategoryList".into()));

    let removed = other.remove_category("project x").unwrap();
    assert_eq!(removed.name, "Project X");
    other.remove_category("1").unwrap();
    let names: Vec<String> = ns.categories().unwrap().into_iter().map(|c| c.name).collect();
    assert_eq!(names.len(), 5);
    assert!(!names.contains(&"Red Category".to_owned()));
    assert_eq!(ns.remove_category("nothing").unwrap_err().code(), ErrorCode::NotFound);
}
