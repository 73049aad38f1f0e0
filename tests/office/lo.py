"""Run a headless LibreOffice for one script: start it, connect over UNO, stop it.

Use Debian's /usr/bin/python3 (it has the `uno` module of python3-uno). Each run gets its own
pipe name and its own throw-away profile, so runs never meet a running office or each other.
"""

import os
import shutil
import subprocess
import tempfile
import time
from contextlib import contextmanager

import uno
from com.sun.star.beans import PropertyValue
from com.sun.star.connection import NoConnectException


def props(**kw):
    """A tuple of PropertyValue, as UNO calls take them."""
    out = []
    for k, v in kw.items():
        p = PropertyValue()
        p.Name, p.Value = k, v
        out.append(p)
    return tuple(out)


def url(path):
    return uno.systemPathToFileUrl(os.path.abspath(path))


@contextmanager
def office(timeout=60):
    """Yields the Desktop of a fresh headless soffice; ends it afterwards."""
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if not soffice:
        raise RuntimeError("soffice not found (apt-get install libreoffice-calc-nogui)")
    profile = tempfile.mkdtemp(prefix="jianbao-lo-")
    pipe = "jianbao%d" % os.getpid()
    proc = subprocess.Popen(
        [
            soffice,
            "--headless",
            "--invisible",
            "--nologo",
            "--norestore",
            "--nodefault",
            "--nolockcheck",
            "-env:UserInstallation=" + url(profile),
            "--accept=pipe,name=%s;urp;StarOffice.ComponentContext" % pipe,
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    desktop = None
    try:
        local = uno.getComponentContext()
        resolver = local.ServiceManager.createInstanceWithContext(
            "com.sun.star.bridge.UnoUrlResolver", local
        )
        deadline = time.time() + timeout
        while True:
            try:
                ctx = resolver.resolve(
                    "uno:pipe,name=%s;urp;StarOffice.ComponentContext" % pipe
                )
                break
            except NoConnectException:
                if proc.poll() is not None or time.time() > deadline:
                    raise RuntimeError("soffice did not start (exit %s)" % proc.poll())
                time.sleep(0.1)
        desktop = ctx.ServiceManager.createInstanceWithContext(
            "com.sun.star.frame.Desktop", ctx
        )
        yield desktop
    finally:
        if desktop is not None:
            try:
                desktop.terminate()
            except Exception:
                # terminate() drops the bridge as the office exits: expected.
                pass
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        shutil.rmtree(profile, ignore_errors=True)
