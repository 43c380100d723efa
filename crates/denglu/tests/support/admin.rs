//! Admin commands (`denglu keygen`, `denglu pool …`, `denglu user …`) and what they print.

use std::process::Command;

/// Runs an admin command; panics unless it succeeds; answers its standard output.
pub(crate) fn run(command: &mut Command) -> String {
    let output = command.output().expect("denglu runs");
    assert!(
        output.status.success(),
        "{command:?} failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8_lossy(&output.stdout).into_owned()
}

/// The value of the line `name …` of an admin command's output (or of a banner); panics if there is none.
pub(crate) fn field(text: &str, name: &str) -> String {
    text.lines()
        .find_map(|line| {
            line.trim()
                .strip_prefix(name)
                .map(|rest| rest.trim().to_owned())
        })
        .unwrap_or_else(|| panic!("no '{name}' in:\n{text}"))
}
