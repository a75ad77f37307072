//! The command-line commands, as library functions the binary calls.
