"""Mailbox providers whose domain says nothing about the sender's company."""

FREE_MAIL_DOMAINS = frozenset(
    """
    gmail.com googlemail.com yahoo.com yahoo.co.uk yahoo.fr yahoo.de yahoo.es yahoo.it yahoo.co.jp
    yahoo.com.br yahoo.co.in ymail.com rocketmail.com hotmail.com hotmail.co.uk hotmail.fr hotmail.de
    hotmail.es hotmail.it outlook.com outlook.de outlook.fr live.com live.co.uk live.fr live.de
    msn.com windowslive.com icloud.com me.com mac.com aol.com aim.com proton.me protonmail.com
    protonmail.ch pm.me gmx.com gmx.de gmx.net gmx.at gmx.ch web.de t-online.de freenet.de
    yandex.com yandex.ru ya.ru mail.ru inbox.ru list.ru bk.ru rambler.ru qq.com 163.com 126.com
    yeah.net sina.com sohu.com aliyun.com naver.com daum.net hanmail.net zoho.com zohomail.com
    fastmail.com fastmail.fm hey.com tutanota.com tutanota.de tuta.io mailbox.org posteo.de
    hushmail.com laposte.net orange.fr wanadoo.fr free.fr sfr.fr libero.it virgilio.it
    rediffmail.com seznam.cz wp.pl o2.pl interia.pl onet.pl btinternet.com sky.com
    comcast.net verizon.net att.net sbcglobal.net bellsouth.net cox.net charter.net
    earthlink.net optonline.net shaw.ca rogers.com sympatico.ca bigpond.com optusnet.com.au
    duck.com mail.com email.com usa.com inbox.com lycos.com excite.com rocketmail.com
    """.split()
)


def is_free_mail(domain: str) -> bool:
    return domain.lower() in FREE_MAIL_DOMAINS
