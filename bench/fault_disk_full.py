"""Fault: the disk for uploaded media is full.

Mounts a small tmpfs (1 MB; needs root) as MEDIA_ROOT, brings up the stack (bench/stack.py)
on it, fills it up to --free kilobytes, and has a citizen send fault reports with a photo
until the disk is full. PASS when every answer is either a receipt (the report and its photo
are stored) or a clear error page (a 4xx or 503 with text), never a bare server error, and
nothing is half-saved: every stored case has all its photos, complete, on disk, no refused
report left a case, and no photo file on the media disk belongs to no case (the form's
drafts aside, which are pruned after a day).

    sudo .venv/bin/python bench/fault_disk_full.py
    sudo .venv/bin/python bench/fault_disk_full.py --reports 10 --free 40
"""

import argparse
import os
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from stack import FAULT_TEXT, Stack, fault_body, fault_category, post_fault, verdict  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--reports", type=int, default=8)
    parser.add_argument("--free", type=int, default=24, help="kilobytes left free at the start")
    args = parser.parse_args()
    if os.geteuid() != 0:
        raise SystemExit("needs root, to mount a small tmpfs (mount -t tmpfs -o size=1m)")

    mount = Path(tempfile.mkdtemp(prefix="torget-media-full-"))
    subprocess.run(["mount", "-t", "tmpfs", "-o", "size=1m,mode=0755", "tmpfs", str(mount)],
                   check=True)  # fmt: skip
    try:
        with Stack(servers=1, workers=1, media_root=mount, quiet=False) as stack:
            stack.django()
            from torget.feedback.models import Case, CasePhoto

            body = fault_body(fault_category().pk)
            stat = os.statvfs(mount)
            filler = stat.f_bavail * stat.f_frsize - args.free * 1024
            (mount / "filler.bin").write_bytes(b"\0" * max(filler, 0))
            answers = []
            for _ in range(args.reports):
                status, token = post_fault(stack.url, body)
                answers.append((status, token))
            print(f"answers (status, receipt): {[(s, bool(t)) for s, t in answers]}", flush=True)
            import requests

            # What the citizen reads when it fails: the page must say something.
            failed = [s for s, _ in answers if s != 302]
            if failed:
                page = requests.post(
                    stack.url + "/felanmalan/", data=body,
                    headers={"Cookie": "csrftoken=benchbenchbenchbenchbenchbench32",
                             "Content-Type": "multipart/form-data; boundary=torgetbenchboundary7d2f"},
                    timeout=30,
                )  # fmt: skip
                print(f"a refused report's page: {page.status_code}, {len(page.text)} characters")
            receipts = {t for s, t in answers if s == 302 and t}
            cases = list(Case.objects.filter(description=FAULT_TEXT))
            stored = {c.token for c in cases}
            complete = True
            referenced = set()
            for photo in CasePhoto.objects.filter(case__in=cases):
                path = mount / photo.image.name
                referenced.add(path)
                complete &= path.exists() and path.stat().st_size == photo.image.size
            # Case photos are feedback/<random>.jpg; the form's drafts are feedback/drafts/.
            files = set((mount / "feedback").glob("*.jpg"))
            orphans = files - referenced
            print(
                f"{len(receipts)} receipts, {len(stored)} cases stored; photos complete: "
                f"{complete}; files belonging to no case: {len(orphans)}"
            )
            clear = all(s == 302 or 400 <= s < 500 or s == 503 for s, _ in answers)
            ok = clear and complete and not orphans and receipts <= stored and bool(failed)
    finally:
        subprocess.run(["umount", str(mount)], check=False)
        mount.rmdir()
    verdict(ok, "media disk full: a clear error and nothing half-saved")


if __name__ == "__main__":
    main()
