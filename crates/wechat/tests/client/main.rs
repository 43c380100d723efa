//! The WeChat client against the WeChat simulator, over real HTTP on loopback.

mod codes;
mod helpers;
mod tokens;
mod transport;
mod wxacode;
