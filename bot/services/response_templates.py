"""Response templates (定型文): the start of a LINE message to a resident, per category and language.

Administrators keep them; staff pick one on the record page and edit it
before sending. A template without a category fits every record. Each is
written in one resident language; the record page offers those in the
resident's language, or the Japanese ones when there are none in it. Staff
messages are sent as typed: nothing translates them.

A template says how the resident will be contacted with ``{連絡方法}``: the
record page fills it with the channels this resident gave, in the
template's language (お電話またはこのLINE, or このLINE when they gave no
phone), so no template offers a call to someone without a phone.
"""
from __future__ import annotations

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from bot.i18n import DEFAULT_LOCALE, N_, SUPPORTED_LOCALES, Translator
from bot.models.intake import IntakeRecord
from bot.models.workflow import ResponseTemplate
from bot.municipality import Municipality


CONTACT_PLACEHOLDER = "{連絡方法}"
BY_PHONE_OR_LINE = N_("お電話またはこのLINE")
BY_LINE = N_("このLINE")


def filled(template: ResponseTemplate, record: IntakeRecord) -> str:
    """The template's body with ``{連絡方法}`` naming only the channels the record's resident gave."""
    channels = BY_PHONE_OR_LINE if record.phone else BY_LINE
    return template.body.replace(CONTACT_PLACEHOLDER, Translator(template.locale)._(channels))


class TemplateError(ValueError):
    message = N_("定型文を保存できませんでした。")


class UnknownCategory(TemplateError):
    message = N_("分類を選び直してください。")


class UnknownLanguage(TemplateError):
    message = N_("言語を選び直してください。")


class ResponseTemplates:
    def __init__(self, session: Session, profile: Municipality) -> None:
        self.session = session
        self.profile = profile

    def all(self) -> list[ResponseTemplate]:
        return list(self.session.scalars(
            select(ResponseTemplate).where(ResponseTemplate.municipality == self.profile.code)
            .order_by(ResponseTemplate.active.desc(), ResponseTemplate.category_code, ResponseTemplate.id)))

    def get(self, template_id: int) -> ResponseTemplate | None:
        template = self.session.get(ResponseTemplate, template_id)
        return template if template is not None and template.municipality == self.profile.code else None

    def for_categories(self, categories: list[str], locale: str | None = DEFAULT_LOCALE) -> list[ResponseTemplate]:
        """Active templates for any of these categories, and those for every category, in the resident's
        language; in Japanese when none are written in it."""
        wanted = locale if locale in SUPPORTED_LOCALES else DEFAULT_LOCALE
        for language in dict.fromkeys((wanted, DEFAULT_LOCALE)):
            found = list(self.session.scalars(
                select(ResponseTemplate).where(
                    ResponseTemplate.municipality == self.profile.code, ResponseTemplate.active.is_(True),
                    ResponseTemplate.locale == language,
                    or_(ResponseTemplate.category_code.is_(None), ResponseTemplate.category_code.in_(categories or [])),
                ).order_by(ResponseTemplate.category_code.is_(None), ResponseTemplate.category_code,
                           ResponseTemplate.id)))
            if found:
                return found
        return []

    def save(self, template: ResponseTemplate | None, *, category: str | None, title: str, body: str,
             active: bool = True, locale: str = DEFAULT_LOCALE) -> ResponseTemplate:
        """Create (``template=None``) or change a template."""
        if category and category not in {c.code for c in self.profile.categories}:
            raise UnknownCategory()
        if locale not in SUPPORTED_LOCALES:
            raise UnknownLanguage()
        if template is None:
            template = ResponseTemplate(municipality=self.profile.code)
            self.session.add(template)
        template.category_code = category or None
        template.locale = locale
        template.title = title.strip()
        template.body = body.strip()
        template.active = active
        self.session.flush()
        return template


# The first demo template in the other resident languages.
DEMO_TRANSLATED_TEMPLATES: list[tuple[str, str, str]] = [
    ("ja_Hira", "受付のお礼と連絡予定（やさしい日本語）",
     "相談してくれて、ありがとうございます。担当の人が 内容を 読みました。"
     "あとで {連絡方法}で 連絡します。少し 待ってください。"),
    ("en", "Thanks and next contact (English)",
     "Thank you for contacting us. The staff member in charge has read your consultation. "
     "We will contact you {連絡方法} soon. Please wait a little."),
    ("zh_Hans", "受付のお礼と連絡予定（中文）",
     "感谢您的咨询。负责的工作人员已经看过您的内容。我们会通过{連絡方法}与您联系，请稍等。"),
    ("vi", "受付のお礼と連絡予定（Tiếng Việt）",
     "Cảm ơn bạn đã liên hệ. Nhân viên phụ trách đã đọc nội dung tư vấn của bạn. "
     "Chúng tôi sẽ liên hệ với bạn {連絡方法}. Xin vui lòng chờ một chút."),
]

# A few to start with (demo data), per category; staff adapt them before sending.
DEMO_TEMPLATES: list[tuple[str | None, str, str]] = [
    (None, "受付のお礼と連絡予定",
     "ご相談いただき、ありがとうございます。担当の職員が内容を確認しました。"
     "あらためて{連絡方法}でご連絡しますので、少しお待ちください。"),
    (None, "ご都合のうかがい",
     "詳しくお話をうかがいたいと思います。ご都合のよい日時（平日の9時〜17時）を、いくつか教えていただけますか。"),
    ("elderly", "介護の相談（訪問のご案内）",
     "ご家族の介護のこと、おひとりで抱えずにご相談くださりありがとうございます。"
     "地域包括支援センターの職員がご自宅にうかがってお話を聞くこともできます。ご希望を教えてください。"),
    ("money", "生活のお金の相談",
     "生活費や家賃のことでお困りとのこと、お知らせくださりありがとうございます。"
     "使える制度（生活困窮者自立支援・住居確保給付金など）を一緒に確認します。来所かお電話でお話しできる日時を教えてください。"),
    ("children", "子育ての相談",
     "毎日の子育て、本当におつかれさまです。家庭相談員がお話をうかがいます。"
     "お子さんと一緒に来所いただいても大丈夫です。ご都合のよい日を教えてください。"),
    ("housing", "住まいの相談",
     "住まいのことでお困りとのこと、ご連絡ありがとうございます。今のお住まいの状況を、もう少し詳しく教えていただけますか。"),
    ("hikikomori", "ひきこもりの相談",
     "ご家族のことを相談してくださり、ありがとうございます。ご本人のペースを大切にしながら、まずはご家族からお話をうかがいます。"),
]


def load_demo_templates(session: Session, profile: Municipality) -> int:
    """Create the demo templates unless some exist; returns how many were created."""
    templates = ResponseTemplates(session, profile)
    if templates.all():
        return 0
    known = {c.code for c in profile.categories}
    created = 0
    for category, title, body in DEMO_TEMPLATES:
        if category is None or category in known:
            templates.save(None, category=category, title=title, body=body)
            created += 1
    for locale, title, body in DEMO_TRANSLATED_TEMPLATES:
        templates.save(None, category=None, title=title, body=body, locale=locale)
        created += 1
    return created
