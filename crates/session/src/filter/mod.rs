//! `Items.Restrict` / `Items.Find` filters: Outlook's Jet and DASL syntaxes, parsed with
//! positions in errors and translated to `mapi` restrictions so stores can run them natively.

pub mod fields;
pub mod macros;
pub mod syntax;
pub mod translate;

pub use macros::DateMacro;
pub use syntax::{
    CompareOp, Dialect, Expr, Filter, FilterError, Literal, PropertyRef, TextMatch, parse,
};
pub use translate::{NamedIdResolver, to_restriction, to_restriction_at};

#[cfg(test)]
mod macro_tests;
#[cfg(test)]
mod tests;
