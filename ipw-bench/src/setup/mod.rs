//! Setup: what to run and how. The configuration from flags and their `IPW_*` twins,
//! the sensors asked for, and which registered cases are selected.
//!
//! Plain configuration only: nothing here measures or reads a sensor.

pub(crate) mod config;
pub(crate) mod criterion_flags;
pub(crate) mod flags;
pub(crate) mod help;
pub(crate) mod input;
pub(crate) mod names;
pub(crate) mod nearest;
pub(crate) mod selection;
pub(crate) mod sensor_spec;
pub(crate) mod values;
