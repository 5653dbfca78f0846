//! The Lists, Tables and Properties layer (MS-PST 2.3): heap-on-node, BTH, property contexts
//! and table contexts.

pub mod bth;
pub mod budget;
pub mod heap;
pub mod node;
pub mod pc;
pub mod tc;
pub mod value;

pub use budget::SubnodeBudget;
pub use heap::{HeapId, HeapNode};
pub use node::LtpNode;
pub use pc::{PcPass, PropertyContext, ValueLocation};
pub use tc::{Column, Row, RowIter, TableContext};
