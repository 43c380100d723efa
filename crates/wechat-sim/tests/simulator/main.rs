//! End-to-end tests of the simulator over real HTTP.

mod common;
mod control;
mod faults;
mod phone;
mod session;
mod sns;
mod token;
mod wxacode;
