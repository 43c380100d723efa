//! Rebuilds the server when a console file changes: the files are built into it (rust-embed), and cargo does not
//! otherwise notice new files there.

fn main() {
    println!("cargo:rerun-if-changed=console");
    println!("cargo:rerun-if-changed=build.rs");
}
