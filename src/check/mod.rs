//! Checks of narratives against the records, beyond what rendering them finds.

pub mod prose;
