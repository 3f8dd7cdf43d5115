"""The generated nginx configuration is valid for Debian's nginx, in both sticky modes."""

from __future__ import annotations

import subprocess

import pytest

from deploy import nginx
from deploy.cluster import ClusterError, nginx_binary


@pytest.mark.parametrize("sticky", nginx.STICKY_METHODS)
def test_generated_config_passes_nginx_t(tmp_path, sticky):
    try:
        binary = nginx_binary()
    except ClusterError as missing:
        pytest.skip(str(missing))
    for sub in ("logs", "temp"):
        (tmp_path / sub).mkdir()
    conf = tmp_path / "nginx.conf"
    text = nginx.config(tmp_path, "127.0.0.1:8500", ["127.0.0.1:8601", "127.0.0.1:8602"], sticky)
    conf.write_text(text)
    result = subprocess.run([binary, "-t", "-p", str(tmp_path), "-c", str(conf),
                             "-e", str(tmp_path / "logs" / "error.log")],
                            capture_output=True, text=True, timeout=30)
    assert result.returncode == 0, result.stderr
    assert ("ip_hash;" in text) == (sticky == "ip_hash")
    assert "proxy_set_header Upgrade $http_upgrade;" in text
    assert str(tmp_path) in text and "/var/log" not in text


def test_unknown_sticky_method_is_refused(tmp_path):
    with pytest.raises(ValueError):
        nginx.config(tmp_path, "127.0.0.1:8500", ["127.0.0.1:8601"], "round_robin")
