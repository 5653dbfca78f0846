//! The one conformance suite every Outpost message store backend runs.
//!
//! A backend implements [`Backend`] (how to make, reopen and share a store) and stamps the cases
//! out as tests with [`conformance_tests!`] (everything) or [`read_only_conformance_tests!`]
//! (the read cases plus "writes are refused", for a backend such as a PST opened read-only):
//!
//! ```ignore
//! struct Embedded(/* a temp dir */);
//! impl conformance::Backend for Embedded { /* ... */ }
//! conformance::conformance_tests!(Embedded::new());
//! ```
//!
//! Each case is a plain function in [`cases`] that panics with a message saying what the
//! backend did wrong; each becomes its own `#[test]`, so a failing behaviour shows by name.

pub mod cases;
mod support;

use mapi::provider::MessageStore;

/// How the suite gets stores from a backend.
pub trait Backend {
    /// A new store. Writable backends return an empty writable store (standard folders
    /// allowed); read-only backends return their fixture.
    fn create_empty(&self) -> Box<dyn MessageStore>;

    /// Closes `store` (drops every handle the backend keeps) and opens the same store again,
    /// as a new process would.
    fn reopen(&self, store: Box<dyn MessageStore>) -> Box<dyn MessageStore>;

    /// A second, independent handle to the same store (its own connections), as another
    /// session in another process would have.
    fn open_another(&self, store: &dyn MessageStore) -> Box<dyn MessageStore>;
}

/// Stamps out one `#[test]` per case.
#[doc(hidden)]
#[macro_export]
macro_rules! __stamp_cases {
    ($backend:expr; $($case:ident),* $(,)?) => {
        $(
            #[test]
            fn $case() {
                $crate::cases::$case(&$backend);
            }
        )*
    };
}

/// The cases that only read: they run on any backend.
#[macro_export]
macro_rules! read_cases {
    ($backend:expr) => {
        $crate::__stamp_cases!($backend;
            root_folder_opens_by_its_entry_id,
            folder_entry_ids_are_stable_across_reopen,
            a_malformed_entry_id_is_invalid_and_a_foreign_one_unknown,
            a_missing_property_comes_back_as_not_found,
            hierarchy_table_rows_open_as_folders,
            special_folders_are_found_the_standard_way,
        );
    };
}

/// The cases that write.
#[macro_export]
macro_rules! write_cases {
    ($backend:expr) => {
        $crate::__stamp_cases!($backend;
            every_property_type_round_trips_through_save_and_reopen,
            values_over_one_mebibyte_round_trip_and_stream,
            named_properties_map_to_stable_ids_and_back,
            recipients_are_added_modified_and_removed,
            attachments_by_value_and_by_reference_round_trip,
            embedded_messages_nest_three_deep,
            unsaved_changes_are_invisible_to_other_handles,
            an_unsaved_attachment_never_reaches_the_message,
            contents_table_restricts_and_sorts_ten_thousand_rows,
            tables_read_in_batches_seek_and_keep_bookmarks,
            associated_messages_have_their_own_contents_table,
            copied_messages_are_independent_of_the_original,
            a_moved_message_gets_a_new_id_and_the_old_is_not_found,
            a_deleted_message_is_not_found,
            saving_a_deleted_message_fails,
            folder_trees_copy_with_their_messages,
            folders_move_with_their_subtree_and_keep_their_ids,
            moving_a_folder_into_its_own_subtree_is_refused,
            deleting_a_folder_tree_makes_every_id_not_found,
            a_folder_with_content_is_not_deleted_without_flags,
            sibling_folder_names_collide,
            emptying_a_folder_removes_messages_and_subfolders,
            entry_ids_are_stable_across_close_and_reopen,
            receive_folders_match_the_longest_class_prefix,
            readers_see_whole_messages_while_a_writer_saves,
            computed_properties_cannot_be_set,
            sub_restrictions_look_into_recipients,
            computed_columns_sort_and_restrict,
        );
    };
}

/// Every case, for a writable backend.
#[macro_export]
macro_rules! conformance_tests {
    ($backend:expr) => {
        $crate::read_cases!($backend);
        $crate::write_cases!($backend);
    };
}

/// The read cases and the refusal of writes, for a read-only backend.
#[macro_export]
macro_rules! read_only_conformance_tests {
    ($backend:expr) => {
        $crate::read_cases!($backend);
        $crate::__stamp_cases!($backend; writes_are_refused_with_no_access);
    };
}
