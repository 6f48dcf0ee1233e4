"""The second factor (二段階認証): TOTP codes from an authenticator app, and recovery codes.

Coordinators and administrators must use it (they can read every centre's
records); centre staff may. A code works once: the last time step used is
stored, and only a later one is accepted. Recovery codes are shown once and
stored as SHA-256 digests (they are long and random, so a slow hash adds
nothing); each works once. The secret is never logged or audited, and is
stored sealed (admin/secret_box.py): the database alone does not give codes.
"""
from __future__ import annotations

import hashlib
import hmac
import re
import secrets
from datetime import datetime

import pyotp
import segno
from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from admin.secret_box import SecretBox, UnreadableSecret, is_sealed
from bot.i18n import N_
from bot.models import RecoveryCode, StaffAccount

RECOVERY_CODES = 10
_RECOVERY_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"  # no 0/o, 1/l/i to misread
TOTP = "totp"
RECOVERY_CODE = "recovery_code"


class SecondFactorError(ValueError):
    """A change to the second factor was refused; ``message`` says why (a msgid)."""

    message = N_("変更できませんでした。")


class WrongCode(SecondFactorError):
    message = N_("確認コードが正しくありません。認証アプリに表示されている6桁の数字を入力してください。")


class SecondFactorRequired(SecondFactorError):
    message = N_("コーディネーターと管理者は、二段階認証を止めることはできません。")


def _digest(code: str) -> str:
    return hashlib.sha256(code.encode()).hexdigest()


def _normalise_recovery_code(code: str) -> str:
    return re.sub(r"[\s-]", "", code).lower()


class SecondFactors:
    """Enrols, checks and resets the second factor of staff accounts, in one database session."""

    def __init__(self, session: Session, box: SecretBox) -> None:
        self.session = session
        self.box = box  # seals the secrets in the database

    def offer(self, account: StaffAccount) -> str:
        """The secret to enrol with (kept until enrolment, so reloading the page shows the same one)."""
        pending = self._open(account.totp_pending_secret)
        if pending is None:
            pending = pyotp.random_base32()
            account.totp_pending_secret = self.box.seal(pending)
            self.session.flush()
        return pending

    def enrol(self, account: StaffAccount, code: str, now: datetime) -> list[str]:
        """Turn the second factor on once a code from the offered secret is right; return new recovery codes."""
        pending = self._open(account.totp_pending_secret)
        if pending is None or _matching_step(pending, code, now, None) is None:
            raise WrongCode()
        account.totp_secret = self.box.seal(pending)
        account.totp_pending_secret = None
        account.totp_last_step = None  # codes are single-use at login; enrolling happens inside a session
        return self.new_recovery_codes(account)

    def verify(self, account: StaffAccount, code: str, now: datetime) -> str | None:
        """Accept a TOTP code or an unused recovery code once; return which, or None."""
        if account.totp_secret is None:
            return None
        secret = self._open(account.totp_secret)
        step = _matching_step(secret, code, now, account.totp_last_step) if secret is not None else None
        if step is not None:
            account.totp_last_step = step
            if not is_sealed(account.totp_secret):  # stored before sealing: sealed now
                account.totp_secret = self.box.seal(secret)
            return TOTP
        wanted = _digest(_normalise_recovery_code(code))
        for stored in self._unused(account):
            if hmac.compare_digest(stored.code_hash, wanted):
                stored.used_at = now
                self.session.flush()
                return RECOVERY_CODE
        return None

    def new_recovery_codes(self, account: StaffAccount) -> list[str]:
        """Replace the account's recovery codes; the returned codes are shown once."""
        self.session.execute(delete(RecoveryCode).where(RecoveryCode.staff_id == account.id))
        codes = []
        for _ in range(RECOVERY_CODES):
            raw = "".join(secrets.choice(_RECOVERY_ALPHABET) for _ in range(10))
            codes.append(f"{raw[:5]}-{raw[5:]}")
            self.session.add(RecoveryCode(staff_id=account.id, code_hash=_digest(raw)))
        self.session.flush()
        return codes

    def recovery_codes_left(self, account: StaffAccount) -> int:
        return self.session.scalar(select(func.count()).select_from(RecoveryCode).where(
            RecoveryCode.staff_id == account.id, RecoveryCode.used_at.is_(None))) or 0

    def turn_off(self, account: StaffAccount, code: str, now: datetime) -> None:
        """Stop using the second factor (centre staff only), after a last code."""
        if account.two_factor_required:
            raise SecondFactorRequired()
        if self.verify(account, code, now) is None:
            raise WrongCode()
        self.reset(account)

    def reset(self, account: StaffAccount) -> None:
        forget_second_factor(self.session, account)

    def _open(self, stored: str | None) -> str | None:
        """A stored secret, opened; None when there is none or it cannot be read (SECRET_KEY changed: only a
        recovery code, or an administrator's reset, lets the person in)."""
        if stored is None:
            return None
        try:
            return self.box.open(stored)
        except UnreadableSecret:
            return None

    def _unused(self, account: StaffAccount) -> list[RecoveryCode]:
        return list(self.session.scalars(select(RecoveryCode).where(
            RecoveryCode.staff_id == account.id, RecoveryCode.used_at.is_(None))))


def forget_second_factor(session: Session, account: StaffAccount) -> None:
    """Forget the second factor (a lost phone): the owner enrols again at the next login."""
    account.totp_secret = None
    account.totp_pending_secret = None
    account.totp_last_step = None
    session.execute(delete(RecoveryCode).where(RecoveryCode.staff_id == account.id))
    session.flush()


def _matching_step(secret: str, code: str, now: datetime, after: int | None) -> int | None:
    """The time step (now, or one either side for clock drift) whose code this is, if later than ``after``."""
    code = re.sub(r"\s", "", code or "")
    if not re.fullmatch(r"\d{6}", code):
        return None
    totp = pyotp.TOTP(secret)
    current = int(now.timestamp()) // totp.interval
    for step in (current - 1, current, current + 1):
        if (after is None or step > after) and hmac.compare_digest(totp.generate_otp(step), code):
            return step
    return None


def enrolment_qr_svg(secret: str, email: str, issuer: str) -> str:
    """The otpauth:// link as an inline SVG QR code, for the authenticator app to scan."""
    uri = pyotp.TOTP(secret).provisioning_uri(name=email, issuer_name=issuer)
    return segno.make(uri, error="m").svg_inline(scale=4, omitsize=True)


def grouped(secret: str) -> str:
    """The secret in groups of four, for typing it into an app by hand."""
    return " ".join(secret[i:i + 4] for i in range(0, len(secret), 4))
