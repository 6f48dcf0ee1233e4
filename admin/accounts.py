"""Staff accounts: create, change, deactivate, reset and change passwords, reset the second factor.

Used by the administrators' pages, the staff member's own settings, the
``create-staff`` command and the demo data. Errors are raised as
:class:`AccountError` whose ``message`` is a Japanese msgid to show.
"""
from __future__ import annotations

import re
from collections.abc import Iterable

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from admin.auth import normalise_email
from admin.password_policy import WeakPassword, check_password_policy
from admin.sessions import StaffSessions
from admin.settings import Passwords
from admin.two_factor import forget_second_factor
from bot.i18n import N_, STAFF_LOCALES
from bot.models.staff import ADMIN, CENTRE_STAFF, ROLES, StaffAccount, StaffCentre
from bot.municipality import Municipality

_EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")


class AccountError(ValueError):
    """A change to a staff account was refused; ``message`` says why (a msgid)."""

    message = N_("変更できませんでした。")

    def __init__(self, message: str | None = None) -> None:
        if message:
            self.message = message
        super().__init__(self.message)


class EmailTaken(AccountError):
    message = N_("このメールアドレスは、ほかの職員アカウントで使われています。")


class InvalidAccount(AccountError):
    """A field is missing or malformed."""


class LastAdministrator(AccountError):
    message = N_("有効な管理者がいなくなるため、この変更はできません。")


class OwnAccount(AccountError):
    message = N_("ご自身のアカウントは無効にできません。")


class WrongPassword(AccountError):
    message = N_("現在のパスワードが正しくありません。")


class StaffAccounts:
    """Reads and changes staff accounts in one database session."""

    def __init__(self, session: Session, profile: Municipality, passwords: Passwords) -> None:
        self.session = session
        self.profile = profile
        self.passwords = passwords

    # --- reading -----------------------------------------------------------

    def get(self, account_id: int) -> StaffAccount | None:
        return self.session.get(StaffAccount, account_id)

    def by_email(self, email: str) -> StaffAccount | None:
        return self.session.scalars(
            select(StaffAccount).where(StaffAccount.email == normalise_email(email))
        ).first()

    def all(self) -> list[StaffAccount]:
        """Every account: active first, then by role and name."""
        role_order = {role: i for i, role in enumerate(ROLES)}
        accounts = self.session.scalars(select(StaffAccount)).all()
        return sorted(accounts, key=lambda a: (not a.active, role_order.get(a.role, 99), a.name, a.id))

    def counts_by_role(self) -> dict[str, int]:
        """Active accounts per role."""
        rows = self.session.execute(
            select(StaffAccount.role, func.count()).where(StaffAccount.active.is_(True)).group_by(StaffAccount.role)
        )
        counts = dict.fromkeys(ROLES, 0)
        counts.update({role: count for role, count in rows})
        return counts

    # --- changing ----------------------------------------------------------

    def create(
        self,
        *,
        email: str,
        name: str,
        role: str,
        centres: Iterable[str],
        password: str,
        must_change_password: bool = False,
    ) -> StaffAccount:
        """Create an account; ``must_change_password`` when someone else chose the password."""
        email = self._valid_email(email)
        if self.by_email(email) is not None:
            raise EmailTaken()
        self._check_password(password, email, [name, *self._centre_words(centres)])
        account = StaffAccount(
            email=email,
            name=self._valid_name(name),
            role=self._valid_role(role),
            password_hash=self.passwords.hash(password),
            must_change_password=must_change_password,
        )
        account.centre_links = [StaffCentre(centre_code=code) for code in self._valid_centres(role, centres)]
        self.session.add(account)
        self.session.flush()
        return account

    def update(self, account: StaffAccount, *, email: str, name: str, role: str,
               centres: Iterable[str]) -> list[str]:
        """Change the account's details; return the names of the fields that changed."""
        email = self._valid_email(email)
        other = self.by_email(email)
        if other is not None and other.id != account.id:
            raise EmailTaken()
        role = self._valid_role(role)
        if account.role == ADMIN and role != ADMIN and account.active:
            self._keep_an_administrator(account)
        wanted = {"email": email, "name": self._valid_name(name), "role": role}
        wanted_centres = self._valid_centres(role, centres)
        changed = [field for field, value in wanted.items() if getattr(account, field) != value]
        for field in changed:
            setattr(account, field, wanted[field])
        if account.centre_codes != wanted_centres:
            kept = {link.centre_code: link for link in account.centre_links}
            account.centre_links = [kept.get(code) or StaffCentre(centre_code=code) for code in wanted_centres]
            changed.append("centres")
        self.session.flush()
        return changed

    def deactivate(self, account: StaffAccount, *, by: int) -> None:
        """Stop the account from logging in and end its sessions."""
        if account.id == by:
            raise OwnAccount()
        if account.role == ADMIN and account.active:
            self._keep_an_administrator(account)
        account.active = False
        StaffSessions(self.session).end_all(account)
        self.session.flush()

    def reactivate(self, account: StaffAccount) -> None:
        account.active = True
        self.session.flush()

    def reset_password(self, account: StaffAccount, password: str) -> None:
        """Set a password chosen by an administrator; the owner must change it at the next login."""
        self._check_password(password, account.email, self._personal_words(account))
        account.password_hash = self.passwords.hash(password)
        account.must_change_password = True
        StaffSessions(self.session).end_all(account)
        self.session.flush()

    def change_own_password(self, account: StaffAccount, current: str, new: str, *, session_key: str) -> None:
        """Replace one's own password, after checking the current one; every other session of the account ends."""
        if not self.passwords.verify(account.password_hash, current):
            raise WrongPassword()
        self._check_password(new, account.email, self._personal_words(account))
        if self.passwords.verify(account.password_hash, new):
            raise InvalidAccount(N_("今と同じパスワードは使えません。"))
        account.password_hash = self.passwords.hash(new)
        account.must_change_password = False
        StaffSessions(self.session).end_all(account, keep=session_key)
        self.session.flush()

    def reset_second_factor(self, account: StaffAccount, *, by: int) -> None:
        """Forget a colleague's second factor (a lost phone); they enrol again at their next login."""
        if account.id == by:
            raise OwnAccount(N_("ご自身の二段階認証は、設定画面から変更してください。"))
        forget_second_factor(self.session, account)
        StaffSessions(self.session).end_all(account)
        self.session.flush()

    def set_locale(self, account: StaffAccount, locale: str | None) -> None:
        """Choose the admin view's language; None follows the browser."""
        if locale is not None and locale not in STAFF_LOCALES:
            raise InvalidAccount(N_("この言語は選べません。"))
        account.locale = locale
        self.session.flush()

    # --- checks ------------------------------------------------------------

    def _keep_an_administrator(self, leaving: StaffAccount) -> None:
        others = self.session.scalar(
            select(func.count()).select_from(StaffAccount).where(
                StaffAccount.role == ADMIN, StaffAccount.active.is_(True), StaffAccount.id != leaving.id
            )
        )
        if not others:
            raise LastAdministrator()

    @staticmethod
    def _valid_email(email: str) -> str:
        email = normalise_email(email or "")
        if not _EMAIL.fullmatch(email) or len(email) > 254:
            raise InvalidAccount(N_("メールアドレスの形式が正しくありません。"))
        return email

    @staticmethod
    def _valid_name(name: str) -> str:
        name = " ".join((name or "").split())
        if not name:
            raise InvalidAccount(N_("氏名を入力してください。"))
        if len(name) > 100:
            raise InvalidAccount(N_("氏名は100文字以内にしてください。"))
        return name

    @staticmethod
    def _valid_role(role: str) -> str:
        if role not in ROLES:
            raise InvalidAccount(N_("役割を選んでください。"))
        return role

    def _valid_centres(self, role: str, centres: Iterable[str]) -> list[str]:
        known = [centre.code for centre in self.profile.centres]
        wanted = set(centres)
        if wanted - set(known):
            raise InvalidAccount(N_("登録されていないセンターが含まれています。"))
        if role == CENTRE_STAFF and not wanted:
            raise InvalidAccount(N_("センター職員は、所属センターを1つ以上選んでください。"))
        return sorted(wanted)

    def _personal_words(self, account: StaffAccount) -> list[str]:
        return [account.name, *self._centre_words(account.centre_codes)]

    def _centre_words(self, codes: Iterable[str]) -> list[str]:
        """The names and codes of these centres, and the city's: words a password must not be made of."""
        wanted = set(codes)
        words = [self.profile.name, self.profile.code]
        for centre in self.profile.centres:
            if centre.code in wanted:
                words += [centre.code, centre.name, centre.short_name]
        return words

    @staticmethod
    def _check_password(password: str, email: str, personal: Iterable[str]) -> None:
        try:
            check_password_policy(password, email, personal)
        except WeakPassword as weak:
            raise InvalidAccount(weak.message) from None
