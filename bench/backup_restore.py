"""Proof: back up and restore a whole Torget (database and uploaded media).

The procedure (README, "Backup and restore"), as this script runs it:

    pg_dump --format=custom --no-owner --file=torget.dump "$DATABASE_URL"
    tar -czf media.tar.gz -C "$MEDIA_ROOT" .
    # restore, into an empty database and an empty media folder:
    createdb torget_restored
    pg_restore --no-owner --exit-on-error --dbname=torget_restored torget.dump
    tar -xzf media.tar.gz -C /new/media/root

It brings up the stack with the demo (bench/stack.py), sends a few fault reports with photos
and supports so there are uploads and messages, backs up, restores into a new database and a
new media folder, and compares: the rows of every table, each proposal's support count with
its supports, and every media file (name and size). PASS when all are equal.

    .venv/bin/python bench/backup_restore.py
"""

import argparse
import os
import signal
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from stack import Stack, fault_body, fault_category, post_fault, verdict  # noqa: E402

RESTORED = "torget_restored"


def backup(database_url: str, media_root: Path, folder: Path) -> tuple[Path, Path]:
    dump, media = folder / "torget.dump", folder / "media.tar.gz"
    subprocess.run(["pg_dump", "--format=custom", "--no-owner", f"--file={dump}", database_url],
                   check=True)  # fmt: skip
    subprocess.run(["tar", "-czf", str(media), "-C", str(media_root), "."], check=True)
    return dump, media


def restore(dump: Path, media: Path, database_url: str, media_root: Path) -> None:
    """Into an empty database (created here) and an empty media folder."""
    server, name = database_url.rsplit("/", 1)
    subprocess.run(["createdb", f"--maintenance-db={server}/postgres", name], check=True)
    subprocess.run(["pg_restore", "--no-owner", "--exit-on-error", f"--dbname={database_url}",
                    str(dump)], check=True)  # fmt: skip
    media_root.mkdir(parents=True, exist_ok=True)
    subprocess.run(["tar", "-xzf", str(media), "-C", str(media_root)], check=True)


def table_counts(database_url: str) -> dict[str, int]:
    import psycopg

    with psycopg.connect(database_url) as conn:
        tables = [row[0] for row in conn.execute(
            "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY 1")]  # fmt: skip
        return {t: conn.execute(f'SELECT count(*) FROM "{t}"').fetchone()[0] for t in tables}  # noqa: S608


def support_counts(database_url: str) -> list[tuple[int, int, int]]:
    import psycopg

    with psycopg.connect(database_url) as conn:
        return list(conn.execute(
            "SELECT p.id, p.support_count, (SELECT count(*) FROM proposals_support s "
            "WHERE s.proposal_id = p.id AND s.withdrawn_at IS NULL) "
            "FROM proposals_proposal p ORDER BY p.id"))  # fmt: skip


def files(root: Path) -> dict[str, int]:
    return {str(p.relative_to(root)): p.stat().st_size for p in root.rglob("*") if p.is_file()}


def main() -> None:
    argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    ).parse_args()
    with Stack(servers=1, workers=1, quiet=False) as stack:
        stack.django()
        body = fault_body(fault_category().pk)
        accepted = sum(post_fault(stack.url, body)[0] == 302 for _ in range(5))
        stack.wait_for_outbox(60)
        # The worker writes task results all the time: stop it, so the rows compared after the
        # restore are the rows the dump saw (a live backup is consistent too, but a moving
        # database can't be compared with it afterwards).
        for worker in stack.worker_processes:
            os.killpg(worker.pid, signal.SIGTERM)
            worker.wait(60)
        folder = Path(tempfile.mkdtemp(prefix="torget-backup-", dir=stack.dir))
        dump, media = backup(stack.direct_database_url, stack.media_root, folder)
        print(f"backup: {dump.stat().st_size // 1024} kB dump, "
              f"{media.stat().st_size // 1024} kB media archive", flush=True)  # fmt: skip
        target = stack.direct_database_url.rsplit("/", 1)[0] + "/" + RESTORED
        restore(dump, media, target, folder / "media")
        before, after = table_counts(stack.direct_database_url), table_counts(target)
        differing = {t: (before[t], after.get(t)) for t in before if before[t] != after.get(t)}
        supports_before, supports_after = (
            support_counts(stack.direct_database_url), support_counts(target))  # fmt: skip
        media_before, media_after = files(stack.media_root), files(folder / "media")
        print(
            f"{accepted} fault reports with photos sent; {len(before)} tables, "
            f"{sum(before.values())} rows; tables that differ: {differing or 'none'}; "
            f"proposals {len(supports_before)}, support counts equal: "
            f"{supports_before == supports_after}; media files {len(media_before)}, equal: "
            f"{media_before == media_after}"
        )
    verdict(
        not differing and supports_before == supports_after and media_before == media_after
        and accepted > 0 and len(media_before) > 0,
        "backup and restore: every row, support count and media file is back",
    )  # fmt: skip


if __name__ == "__main__":
    main()
