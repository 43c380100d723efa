//! Rebuilds the binary when a demo file, the scanner mini program's sources or the mini program SDK change: they
//! are built into it (rust-embed), and cargo does not otherwise notice new files there.

fn main() {
    for folder in [
        "demo",
        "../../miniprogram/lib",
        "../../miniprogram/pages",
        "../../sdk/wxapp/authing",
    ] {
        println!("cargo:rerun-if-changed={folder}");
    }
    println!("cargo:rerun-if-changed=build.rs");
}
