//! Causes read from real failed builds (recorded on Debian 12: pycairo and manimpango built by
//! uv and pip with pkg-config or the cairo/pango `.pc` files hidden).

use super::*;

fn lines(log: &str) -> Vec<String> {
    log.lines().map(str::to_string).collect()
}

#[test]
fn missing_cairo_headers_read_from_uv_and_pip() {
    for log in [
        include_str!("testdata/uv-no-cairo-headers.log"),
        include_str!("testdata/pip-no-cairo-headers.log"),
    ] {
        let needs = needs_in_output(&lines(log));
        assert_eq!(needs, vec![Need::CairoHeaders]);
        assert_eq!(
            fix_for(&needs, System::Debian),
            "sudo apt-get install libcairo2-dev"
        );
    }
}

#[test]
fn missing_pango_headers_read_from_manimpango() {
    let needs = needs_in_output(&lines(include_str!("testdata/uv-no-pango-headers.log")));
    assert_eq!(needs, vec![Need::PangoHeaders]);
    assert_eq!(
        fix_for(&needs, System::Fedora),
        "sudo dnf install pango-devel"
    );
}

#[test]
fn missing_pkg_config_asks_for_pkg_config_only() {
    let needs = needs_in_output(&lines(include_str!("testdata/uv-no-pkg-config.log")));
    assert_eq!(needs, vec![Need::PkgConfig]);
    assert_eq!(
        fix_for(&needs, System::Arch),
        "sudo pacman -S --needed pkgconf"
    );
}

#[test]
fn other_causes() {
    let l = |s: &str| vec![s.to_string()];
    assert_eq!(
        needs_in_output(&l("fatal error: Python.h: No such file or directory")),
        vec![Need::PythonHeaders]
    );
    assert_eq!(
        needs_in_output(&l("The virtual environment was not created successfully because ensurepip is not available.")),
        vec![Need::VenvModule]
    );
    assert_eq!(
        needs_in_output(&l(
            "ERROR: Unknown compiler(s): [['cc'], ['gcc'], ['clang']]"
        )),
        vec![Need::Compiler]
    );
    assert_eq!(
        needs_in_output(&l(
            "  error: Failed to fetch: `https://pypi.org/simple/manim/`"
        )),
        vec![Need::Network]
    );
    assert_eq!(
        needs_in_output(&l("OSError: [Errno 28] No space left on device")),
        vec![Need::DiskSpace]
    );
    assert!(needs_in_output(&l("Collecting numpy")).is_empty());
}

#[test]
fn one_command_per_system() {
    assert_eq!(
        fix_for(BUILD_NEEDS, System::Debian),
        "sudo apt-get install pkg-config gcc python3-dev libcairo2-dev libpango1.0-dev"
    );
    assert_eq!(
        fix_for(
            &[Need::CairoHeaders, Need::PangoHeaders, Need::Compiler],
            System::MacOs
        ),
        "brew install cairo pango; then xcode-select --install"
    );
    assert!(fix_for(&[Need::Network], System::Debian).contains("internet connection"));
    assert_eq!(
        fix_for(&[Need::VenvModule], System::Debian),
        "sudo apt-get install python3-venv"
    );
}

#[test]
fn system_from_os_release() {
    let deb = "PRETTY_NAME=\"Debian GNU/Linux 12 (bookworm)\"\nID=debian\nVERSION_ID=\"12\"\n";
    assert_eq!(System::from_os_release(deb), System::Debian);
    assert_eq!(
        System::from_os_release("ID=linuxmint\nID_LIKE=\"ubuntu debian\"\n"),
        System::Debian
    );
    assert_eq!(
        System::from_os_release("ID=\"rocky\"\nID_LIKE=\"rhel centos fedora\"\n"),
        System::Fedora
    );
    assert_eq!(
        System::from_os_release("ID=endeavouros\nID_LIKE=arch\n"),
        System::Arch
    );
    assert_eq!(
        System::from_os_release("ID=opensuse-tumbleweed\nID_LIKE=\"opensuse suse\"\n"),
        System::Suse
    );
    assert_eq!(System::from_os_release("ID=nixos\n"), System::Other);
}
