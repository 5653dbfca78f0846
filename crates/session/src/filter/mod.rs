//! `Items.Restrict` / `Items.Find` filters: Outlook's Jet and DASL syntaxes, parsed with
//! positions in errors and translated to `mapi` restrictions so stores can run them natively.

pub mod syntax;

pub use syntax::{
    CompareOp, Dialect, Expr, Filter, FilterSyntaxError, Literal, PropertyRef, parse,
};

#[cfg(test)]
mod tests;
