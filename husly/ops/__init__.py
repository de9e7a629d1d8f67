"""Operations that lose nothing (ADR 0023): backup and restore with a manifest of hashes, and the
check that every stored file has its row and every row its file."""
