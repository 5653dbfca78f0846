//! `Items.Restrict` / `Items.Find` filters: Outlook's Jet and DASL syntaxes, parsed with
//! positions in errors and translated to `mapi` restrictions so stores can run them natively.

pub mod fields;
pub mod syntax;
pub mod translate;

pub use syntax::{CompareOp, Dialect, Expr, Filter, FilterError, Literal, PropertyRef, parse};
pub use translate::{NamedIdResolver, to_restriction};

#[cfg(test)]
mod tests;
