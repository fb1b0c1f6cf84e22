"""Publishing: the current release of a built site, copied to where the
site is served (`invoke publish`, `invoke preview`).

Where is one setting (PUBLISH_TO in publishconf.py, PREVIEW_TO for the
preview), in one of two forms:

``rsync:DESTINATION``
    rsync (over SSH when DESTINATION names a host, ``user@host:/folder``; a
    folder on this machine otherwise) into a folder a web server serves.
    Visitors never see half a site: rsync writes every new and changed file
    beside its old one and renames them all into place at the end
    (``--delay-updates``), then deletes what the site no longer has
    (``--delete-delay``). Files are compared by their bytes
    (``--checksum``), so only what changed is sent and listed, even after
    a development build gave every file a new date.
``git:REMOTE/BRANCH``
    a commit of the whole site on BRANCH of the git remote REMOTE (a name
    from `git remote`, such as ``origin/gh-pages``), for static hosts that
    serve a branch (GitHub Pages and the like). ghp-import makes the commit
    on top of the branch as the remote has it, and pushes it: the host
    switches to it in one step.

Either way :func:`publish` returns what changed on the other side: the
files added, updated and removed.

rsync deletes what the site does not have, so a folder is only published
into when it is the site's: an absolute path at least two folders deep
(never ``/``, a relative path or a top-level folder) that is empty or
holds a published site (its ``index.html``), here or on the server. Only a
complete, intact release built for production (no drafts) is published as
the site, and the releases' lock is held while it is copied, so a `make
serve` rebuild cannot switch output/ half-way through.
"""

from __future__ import annotations

import os
import posixpath
import re
import shutil
import subprocess
from dataclasses import dataclass, field

from build_errors import BuildFailed, Problem

from .releases import Release, Releases

FORMS = (
    "'rsync:user@host:/folder' (a web server's folder, over SSH), "
    "'rsync:/folder' (a folder on this machine) or "
    "'git:remote/branch' (a branch that a static host serves, such as "
    "'git:origin/gh-pages')"
)
# An rsync destination: [user@]host:/absolute/path, or /absolute/path.
_RSYNC = re.compile(
    r"(?:(?P<host>(?:[\w.-]+@)?[A-Za-z0-9][\w.-]*):)?(?P<path>/[^\0\n\r]*)"
)
# What rsync says of each file (--itemize-changes): '>f+++++++++ path' is
# new, '>f.st...... path' changed, '*deleting   path' gone.
_ITEM = re.compile(r"^(?P<change>\S{11}|\*deleting) +(?P<path>.+)$")


@dataclass
class Changes:
    """What publishing changed where the site is served."""

    destination: str
    added: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)

    def report(self, most: int = 25) -> str:
        """The summary and, under it, the files (at most ``most`` of each,
        pages first)."""
        counts = ", ".join(
            f"{len(files):,} {kind}"
            for kind, files in (
                ("added", self.added),
                ("updated", self.updated),
                ("removed", self.removed),
            )
        )
        if not (self.added or self.updated or self.removed):
            return f"Published to {self.destination}: it was up to date already."
        lines = [f"Published to {self.destination}: {counts}."]
        kinds = (("+", self.added), ("~", self.updated), ("-", self.removed))
        for sign, files in kinds:
            files = sorted(files, key=lambda path: (not path.endswith(".html"), path))
            lines += [f"  {sign} {path}" for path in files[:most]]
            if len(files) > most:
                lines.append(f"  {sign} ... and {len(files) - most:,} more")
        return "\n".join(lines)


@dataclass(frozen=True)
class Target:
    method: str  # "rsync" or "git"
    where: str  # the rsync destination, or the git remote
    branch: str = ""

    def __str__(self) -> str:
        return f"{self.where}/{self.branch}" if self.method == "git" else self.where


def target(value, setting: str, settings_file: str) -> Target:
    """The target a setting names, or a problem naming the file and the
    setting, with the forms allowed."""
    text = value.strip() if isinstance(value, str) else ""
    method, _, where = text.partition(":")
    if method == "rsync":
        found = _RSYNC.fullmatch(where)
        path = posixpath.normpath(found["path"]) if found else ""
        deep = len([part for part in path.split("/") if part]) >= 2
        if found and deep and ".." not in found["path"].split("/"):
            host = f"{found['host']}:" if found["host"] else ""
            return Target("rsync", f"{host}{path}/")
    if method == "git":
        remote, _, branch = where.partition("/")
        name = r"\w[\w.-]*"  # never an option: no leading '-'
        if re.fullmatch(name, remote) and re.fullmatch(rf"{name}(/{name})*", branch):
            return Target("git", remote, branch)
    shown = repr(value) if value else "nothing"
    raise BuildFailed(
        [
            Problem(
                settings_file,
                None,
                setting,
                f"says where to publish the site, and is {shown}",
                "push your work and let the publishing workflow publish, or ask "
                f"who looks after the site to set it to {FORMS}, the folder given "
                "from the top (/srv/www/site, at least two folders deep) "
                "(docs/operations.md)",
            )
        ]
    )


def publish(
    output: str,
    where: Target,
    *,
    drafts: bool = False,
    repository: str = ".",
    message: str = "Publish the site",
) -> Changes:
    """Publish the current release of ``output`` to ``where``: a production
    build (no drafts) unless ``drafts`` (a preview); ``repository`` is the
    git repository whose remote a git target names."""
    releases = Releases(os.path.abspath(output))
    releases.lock()
    try:
        release = _publishable(releases, output, drafts)
        if where.method == "rsync":
            return _rsync(release.folder, where)
        return _git(release.folder, where, repository, message)
    finally:
        releases.unlock()


def _publishable(releases: Releases, output: str, drafts: bool) -> Release:
    release = releases.current()
    shown = os.path.basename(os.path.abspath(output))
    if release is None:
        raise _refused(shown, "holds no complete build", "build the site first")
    if not release.intact():
        raise _refused(
            shown,
            "was changed by hand since it was built",
            "build again (the build makes the changed files again)",
        )
    if release.manifest.drafts and not drafts:
        raise _refused(
            shown,
            "holds a build that shows drafts (a development build: make serve, "
            "invoke build without --production, or a preview made it)",
            "stop `make serve` and run `invoke publish` again: it builds the "
            "production site first",
        )
    return release


def _refused(shown: str, why: str, what: str) -> BuildFailed:
    return BuildFailed(
        [Problem(f"{shown}/", None, "publish", f"{why}; nothing was published", what)]
    )


def _folder_is_the_sites(where: Target) -> None:
    """rsync deletes what the site does not have: a folder (here or on the
    server) is published into only when it is empty, missing or holds a
    published site (its index.html)."""
    listed = subprocess.run(
        ["rsync", "--list-only", "--protect-args", where.where],
        capture_output=True,
        text=True,
    )
    if listed.returncode:
        return  # not there (or unreachable): the publish itself says so
    names = {
        line.split(None, 4)[4]
        for line in listed.stdout.splitlines()
        if len(line.split(None, 4)) == 5
    } - {".", ".well-known"}
    if names and "index.html" not in names:
        raise BuildFailed(
            [
                Problem(
                    str(where),
                    None,
                    "publish",
                    "holds other files and no site (no index.html): publishing "
                    "would delete them; nothing was published",
                    "choose an empty folder, or the folder of the published site",
                )
            ]
        )


def _rsync(folder: str, where: Target) -> Changes:
    if shutil.which("rsync"):
        _folder_is_the_sites(where)
    command = [
        "rsync",
        "--recursive",
        "--checksum",  # a page made again with the same bytes is not "updated"
        "--times",
        "--omit-dir-times",
        "--chmod=D755,F644",
        "--delete-delay",
        "--delay-updates",
        "--itemize-changes",
        "--protect-args",
        os.path.join(folder, ""),
        where.where,
    ]
    done = _run(command, where)
    changes = Changes(where.where)
    for line in done.stdout.splitlines():
        item = _ITEM.match(line)
        if item is None or item["path"].endswith("/"):
            continue  # a folder, or rsync saying something else
        change, path = item["change"], item["path"]
        if change == "*deleting":
            changes.removed.append(path)
        elif change[:2] in (">f", "<f"):
            (changes.added if "+++++++" in change else changes.updated).append(path)
    return changes


def _git(folder: str, where: Target, repository: str, message: str) -> Changes:
    import ghp_import

    remote, branch = where.where, where.branch
    tracking = f"refs/remotes/{remote}/{branch}"
    git = ["git", "-C", repository]
    # What the remote has now, so the commit goes on top of it.
    fetched = subprocess.run(
        [*git, "fetch", "--quiet", remote, f"+refs/heads/{branch}:{tracking}"],
        capture_output=True,
        text=True,
    )
    if fetched.returncode and "couldn't find remote ref" not in fetched.stderr:
        raise _failed(where, fetched.stderr)
    before = _rev(git, tracking) if not fetched.returncode else None
    # The commit's committer: as git is set up here, else a plain stand-in.
    env = {
        name: os.environ.get(name) or _config(git, key) or default
        for name, key, default in (
            ("GIT_COMMITTER_NAME", "user.name", "Site publisher"),
            ("GIT_COMMITTER_EMAIL", "user.email", "site@localhost"),
        )
    }
    saved = {name: os.environ.get(name) for name in env}
    here = os.getcwd()
    try:
        os.environ.update(env)
        os.chdir(repository)
        ghp_import.ghp_import(
            folder, remote=remote, branch=branch, mesg=message, push=True, nojekyll=True
        )
    except (ghp_import.GhpError, subprocess.CalledProcessError) as error:
        raise _failed(where, str(error)) from None
    finally:
        os.chdir(here)
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value
    after = _rev(git, f"refs/heads/{branch}")
    changes = Changes(str(where))
    listed = (
        _run([*git, "diff", "--name-status", "--no-renames", before, after], where)
        if before
        else _run([*git, "ls-tree", "-r", "--name-only", after], where)
    )
    for line in listed.stdout.splitlines():
        status, _, path = line.partition("\t") if before else ("A", "", line)
        if path == ".nojekyll":
            continue  # the host's, not the site's
        {"A": changes.added, "M": changes.updated, "D": changes.removed}.get(
            status[:1], changes.updated
        ).append(path)
    return changes


def _rev(git: list[str], ref: str) -> str | None:
    done = subprocess.run(
        [*git, "rev-parse", "--verify", "--quiet", ref], capture_output=True, text=True
    )
    return done.stdout.strip() or None


def _config(git: list[str], key: str) -> str:
    done = subprocess.run([*git, "config", key], capture_output=True, text=True)
    return done.stdout.strip()


def _run(command: list[str], where: Target):
    if shutil.which(command[0]) is None:
        raise BuildFailed(
            [
                Problem(
                    command[0],
                    None,
                    "publish",
                    f"publishing to {where} needs {command[0]}, which this computer "
                    "does not have; nothing was published",
                    f"install {command[0]} (on Debian: apt install {command[0]}), or "
                    "let the publishing workflow publish (docs/operations.md)",
                )
            ]
        )
    done = subprocess.run(command, capture_output=True, text=True)
    if done.returncode:
        raise _failed(where, done.stderr or done.stdout)
    return done


def _failed(where: Target, said: str) -> BuildFailed:
    lines = [line.strip() for line in said.splitlines() if line.strip()]
    return BuildFailed(
        [
            Problem(
                str(where),
                None,
                "publish",
                "could not be published to: "
                + (lines[0] if lines else "no reason given"),
                "check the address, your access to it (SSH key, git rights) and "
                "the network, then publish again (it sends only what is missing)",
            )
        ]
    )
