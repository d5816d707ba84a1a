//! Who knows what: expertise inferred from contributions, decaying with time, each claim with its evidence.
