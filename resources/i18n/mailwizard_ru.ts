<?xml version='1.0' encoding='utf-8'?>
<!DOCTYPE TS>
<TS version="2.1" language="ru" sourcelanguage="en">
<context>
    <name>AccountPage</name>
    <message>
        <location filename="../../wizard/gui/pages/account.py" line="56" />
        <source>Your mail account</source>
        <translation>Ваш почтовый ящик</translation>
    </message>
    <message>
        <location filename="../../wizard/gui/pages/account.py" line="57" />
        <source>Type your address and password. MailWizard finds the settings, checks them and sets up your mail program.</source>
        <translation>Введите адрес и пароль. MailWizard найдёт настройки, проверит их и настроит вашу почтовую программу.</translation>
    </message>
    <message>
        <location filename="../../wizard/gui/pages/account.py" line="60" />
        <source>Your name is what people see when you write to them. The password is sent only to your provider's servers, over an encrypted connection.</source>
        <translation>Имя увидят получатели ваших писем. Пароль передаётся только серверам вашего почтового сервиса и только по зашифрованному соединению.</translation>
    </message>
    <message>
        <location filename="../../wizard/gui/pages/account.py" line="62" />
        <source>&amp;Your name</source>
        <translation>&amp;Ваше имя</translation>
    </message>
    <message>
        <location filename="../../wizard/gui/pages/account.py" line="63" />
        <source>&amp;Email address</source>
        <translation>&amp;Адрес электронной почты</translation>
    </message>
    <message>
        <location filename="../../wizard/gui/pages/account.py" line="64" />
        <source>&amp;Password</source>
        <translation>&amp;Пароль</translation>
    </message>
    <message>
        <location filename="../../wizard/gui/pages/account.py" line="65" />
        <source>Alice Smith</source>
        <translation>Анна Смирнова</translation>
    </message>
    <message>
        <location filename="../../wizard/gui/pages/account.py" line="66" />
        <source>alice@example.com</source>
        <translation>anna@example.ru</translation>
    </message>
    <message>
        <location filename="../../wizard/gui/pages/account.py" line="67" />
        <source>&amp;Show the password</source>
        <translation>&amp;Показать пароль</translation>
    </message>
</context>
<context>
    <name>Checks</name>
    <message>
        <location filename="../../wizard/gui/pages/checks.py" line="39" />
        <source>Reach the server</source>
        <translation>Связь с сервером</translation>
    </message>
    <message>
        <location filename="../../wizard/gui/pages/checks.py" line="40" />
        <source>Encrypted connection</source>
        <translation>Шифрование соединения</translation>
    </message>
    <message>
        <location filename="../../wizard/gui/pages/checks.py" line="41" />
        <source>Server certificate</source>
        <translation>Сертификат сервера</translation>
    </message>
    <message>
        <location filename="../../wizard/gui/pages/checks.py" line="42" />
        <source>Log in</source>
        <translation>Вход</translation>
    </message>
    <message>
        <location filename="../../wizard/gui/pages/checks.py" line="48" />
        <source>waiting</source>
        <translation>ожидание</translation>
    </message>
    <message>
        <location filename="../../wizard/gui/pages/checks.py" line="49" />
        <source>checking…</source>
        <translation>проверка…</translation>
    </message>
    <message>
        <location filename="../../wizard/gui/pages/checks.py" line="50" />
        <source>OK</source>
        <translation>в порядке</translation>
    </message>
    <message>
        <location filename="../../wizard/gui/pages/checks.py" line="51" />
        <source>failed</source>
        <translation>ошибка</translation>
    </message>
    <message>
        <location filename="../../wizard/gui/pages/checks.py" line="52" />
        <source>not tried</source>
        <translation>не проверялось</translation>
    </message>
    <message>
        <location filename="../../wizard/gui/pages/checks.py" line="53" />
        <source>not used</source>
        <translation>не используется</translation>
    </message>
</context>
<context>
    <name>DiscoveryPage</name>
    <message>
        <location filename="../../wizard/gui/pages/discovery.py" line="75" />
        <source>Looking for the settings</source>
        <translation>Поиск настроек</translation>
    </message>
    <message>
        <location filename="../../wizard/gui/pages/discovery.py" line="77" />
        <source>MailWizard asks several places at once which servers serve %1.</source>
        <translation>MailWizard одновременно опрашивает несколько источников, какие серверы обслуживают %1.</translation>
    </message>
    <message>
        <location filename="../../wizard/gui/pages/discovery.py" line="79" />
        <source>S&amp;top searching</source>
        <translation>&amp;Остановить поиск</translation>
    </message>
    <message>
        <location filename="../../wizard/gui/pages/discovery.py" line="80" />
        <source>Search &amp;again</source>
        <translation>Искать &amp;снова</translation>
    </message>
    <message>
        <location filename="../../wizard/gui/pages/discovery.py" line="106" />
        <source>Searching… You can stop at any time and type the settings in yourself.</source>
        <translation>Идёт поиск… Его можно остановить в любой момент и ввести настройки вручную.</translation>
    </message>
    <message>
        <location filename="../../wizard/gui/pages/discovery.py" line="109" />
        <source>Stopped. Search again, or press Next to type the settings in yourself.</source>
        <translation>Поиск остановлен. Запустите его снова или нажмите «Далее», чтобы ввести настройки вручную.</translation>
    </message>
    <message>
        <location filename="../../wizard/gui/pages/discovery.py" line="112" />
        <source>The search failed. Search again, or press Next to type the settings in yourself.</source>
        <translation>Поиск не удался. Запустите его снова или нажмите «Далее», чтобы ввести настройки вручную.</translation>
    </message>
    <message>
        <location filename="../../wizard/gui/pages/discovery.py" line="116" />
        <source>Settings found (%1). Press Next to see them.</source>
        <translation>Настройки найдены (%1). Нажмите «Далее», чтобы их увидеть.</translation>
    </message>
    <message>
        <location filename="../../wizard/gui/pages/discovery.py" line="118" />
        <source>No settings were found for this domain. Press Next to type them in yourself; your provider's help pages list them.</source>
        <translation>Для этого домена настройки не найдены. Нажмите «Далее» и введите их вручную — они есть в справке вашего почтового сервиса.</translation>
    </message>
    <message>
        <location filename="../../wizard/gui/pages/discovery.py" line="170" />
        <source>Something went wrong while searching: %1</source>
        <translation>Во время поиска произошла ошибка: %1</translation>
    </message>
</context>
<context>
    <name>DonePage</name>
    <message>
        <location filename="../../wizard/gui/pages/done.py" line="40" />
        <source>Your account is ready</source>
        <translation>Почтовый ящик настроен</translation>
    </message>
    <message>
        <location filename="../../wizard/gui/pages/done.py" line="41" />
        <source>Here is what MailWizard did.</source>
        <translation>Вот что сделал MailWizard.</translation>
    </message>
    <message>
        <location filename="../../wizard/gui/pages/done.py" line="42" />
        <source>&amp;Open the folder with the files</source>
        <translation>&amp;Открыть папку с файлами</translation>
    </message>
    <message>
        <location filename="../../wizard/gui/pages/done.py" line="68" />
        <source>Account</source>
        <translation>Учётная запись</translation>
    </message>
    <message>
        <location filename="../../wizard/gui/pages/done.py" line="70" />
        <source>Incoming mail</source>
        <translation>Входящая почта</translation>
    </message>
    <message>
        <location filename="../../wizard/gui/pages/done.py" line="72" />
        <source>Outgoing mail</source>
        <translation>Исходящая почта</translation>
    </message>
    <message>
        <location filename="../../wizard/gui/pages/done.py" line="74" />
        <source>User name</source>
        <translation>Имя пользователя</translation>
    </message>
    <message>
        <location filename="../../wizard/gui/pages/done.py" line="75" />
        <source>Check</source>
        <translation>Проверка</translation>
    </message>
    <message>
        <location filename="../../wizard/gui/pages/done.py" line="75" />
        <source>all servers work</source>
        <translation>все серверы работают</translation>
    </message>
    <message>
        <location filename="../../wizard/gui/pages/done.py" line="76" />
        <source>not passed: kept as you asked</source>
        <translation>не пройдена: настройки сохранены по вашему решению</translation>
    </message>
    <message>
        <location filename="../../wizard/gui/pages/done.py" line="78" />
        <location filename="../../wizard/gui/pages/done.py" line="81" />
        <source>Password</source>
        <translation>Пароль</translation>
    </message>
    <message>
        <location filename="../../wizard/gui/pages/done.py" line="78" />
        <source>saved in %1</source>
        <translation>сохранён: %1</translation>
    </message>
    <message>
        <location filename="../../wizard/gui/pages/done.py" line="81" />
        <source>not saved</source>
        <translation>не сохранён</translation>
    </message>
</context>
<context>
    <name>MainWizard</name>
    <message>
        <location filename="../../wizard/gui/window.py" line="115" />
        <source>MailWizard — set up a mail account</source>
        <translation>MailWizard — настройка почтового ящика</translation>
    </message>
    <message>
        <location filename="../../wizard/gui/window.py" line="117" />
        <source>&lt; &amp;Back</source>
        <translation>&lt; &amp;Назад</translation>
    </message>
    <message>
        <location filename="../../wizard/gui/window.py" line="118" />
        <source>&amp;Next &gt;</source>
        <translation>&amp;Далее &gt;</translation>
    </message>
    <message>
        <location filename="../../wizard/gui/window.py" line="119" />
        <source>Cancel</source>
        <translation>Отмена</translation>
    </message>
    <message>
        <location filename="../../wizard/gui/window.py" line="120" />
        <source>&amp;Finish</source>
        <translation>&amp;Готово</translation>
    </message>
    <message>
        <location filename="../../wizard/gui/window.py" line="127" />
        <source>Switch the language of the wizard</source>
        <translation>Сменить язык мастера</translation>
    </message>
</context>
<context>
    <name>SavePage</name>
    <message>
        <location filename="../../wizard/gui/pages/save.py" line="137" />
        <source>Save the account</source>
        <translation>Сохранение</translation>
    </message>
    <message>
        <location filename="../../wizard/gui/pages/save.py" line="138" />
        <source>Keep the password safe and set up the programs you use.</source>
        <translation>Надёжно сохраните пароль и настройте программы, которыми пользуетесь.</translation>
    </message>
    <message>
        <location filename="../../wizard/gui/pages/save.py" line="139" />
        <source>&amp;Save</source>
        <translation>&amp;Сохранить</translation>
    </message>
    <message>
        <location filename="../../wizard/gui/pages/save.py" line="140" />
        <source>Password</source>
        <translation>Пароль</translation>
    </message>
    <message>
        <location filename="../../wizard/gui/pages/save.py" line="141" />
        <source>Save the password in the system &amp;keyring</source>
        <translation>Сохранить пароль в системном &amp;хранилище паролей</translation>
    </message>
    <message>
        <location filename="../../wizard/gui/pages/save.py" line="142" />
        <source>Set up other programs</source>
        <translation>Настроить другие программы</translation>
    </message>
    <message>
        <location filename="../../wizard/gui/pages/save.py" line="144" />
        <source>&amp;Tick the programs to set up (Space ticks)</source>
        <translation>&amp;Отметьте программы для настройки (пробел ставит отметку)</translation>
    </message>
    <message>
        <location filename="../../wizard/gui/pages/save.py" line="149" />
        <source>Thunderbird &amp;profile</source>
        <translation>&amp;Профиль Thunderbird</translation>
    </message>
    <message>
        <location filename="../../wizard/gui/pages/save.py" line="153" />
        <source>No Thunderbird profile found: choose a folder</source>
        <translation>Профиль Thunderbird не найден: выберите папку</translation>
    </message>
    <message>
        <location filename="../../wizard/gui/pages/save.py" line="155" />
        <source>C&amp;hoose…</source>
        <translation>&amp;Выбрать…</translation>
    </message>
    <message>
        <location filename="../../wizard/gui/pages/save.py" line="156" />
        <source>Save the files in this &amp;folder</source>
        <translation>Сохранить файлы в &amp;папку</translation>
    </message>
    <message>
        <location filename="../../wizard/gui/pages/save.py" line="157" />
        <source>Choose &amp;folder…</source>
        <translation>Выбрать п&amp;апку…</translation>
    </message>
    <message>
        <location filename="../../wizard/gui/pages/save.py" line="158" />
        <source>Include the password in the &amp;exported files</source>
        <translation>&amp;Записать пароль в создаваемые файлы</translation>
    </message>
    <message>
        <location filename="../../wizard/gui/pages/save.py" line="166" />
        <source>Looking for the system keyring…</source>
        <translation>Поиск системного хранилища паролей…</translation>
    </message>
    <message>
        <location filename="../../wizard/gui/pages/save.py" line="171" />
        <source>The password will be stored in: %1. Mail programs and MailWizard can read it from there.</source>
        <translation>Пароль будет сохранён здесь: %1. Почтовые программы и MailWizard смогут взять его оттуда.</translation>
    </message>
    <message>
        <location filename="../../wizard/gui/pages/save.py" line="176" />
        <location filename="../../wizard/gui/pages/save.py" line="181" />
        <source>The password will not be saved; your mail program will ask for it.</source>
        <translation>Пароль не будет сохранён; почтовая программа спросит его сама.</translation>
    </message>
    <message>
        <location filename="../../wizard/gui/pages/save.py" line="195" />
        <source>Anyone who can read these files will know your password.</source>
        <translation>Любой, кто сможет прочитать эти файлы, узнает ваш пароль.</translation>
    </message>
    <message>
        <location filename="../../wizard/gui/pages/save.py" line="207" />
        <source>Untick “Save the password” to go on without saving it, or fix the keyring and press Save again.</source>
        <translation>Снимите флажок «Сохранить пароль», чтобы продолжить без сохранения, или устраните проблему с хранилищем и снова нажмите «Сохранить».</translation>
    </message>
    <message>
        <location filename="../../wizard/gui/pages/save.py" line="256" />
        <source>The keyring cannot be used</source>
        <translation>Хранилищем паролей нельзя воспользоваться</translation>
    </message>
    <message>
        <location filename="../../wizard/gui/pages/save.py" line="285" />
        <source>Thunderbird profile</source>
        <translation>Профиль Thunderbird</translation>
    </message>
    <message>
        <location filename="../../wizard/gui/pages/save.py" line="291" />
        <source>Save the files in this folder</source>
        <translation>Сохранить файлы в папку</translation>
    </message>
</context>
<context>
    <name>ServerChecks</name>
    <message>
        <location filename="../../wizard/gui/pages/checks.py" line="186" />
        <source>Incoming</source>
        <translation>Входящая</translation>
    </message>
    <message>
        <location filename="../../wizard/gui/pages/checks.py" line="186" />
        <source>Outgoing</source>
        <translation>Исходящая</translation>
    </message>
    <message>
        <location filename="../../wizard/gui/pages/checks.py" line="193" />
        <source>accepted by your decision</source>
        <translation>принят по вашему решению</translation>
    </message>
    <message>
        <location filename="../../wizard/gui/pages/checks.py" line="198" />
        <source>This server works with your settings.</source>
        <translation>С вашими настройками этот сервер работает.</translation>
    </message>
    <message>
        <location filename="../../wizard/gui/pages/checks.py" line="200" />
        <source>Show the &amp;transcript</source>
        <translation>Показать &amp;протокол</translation>
    </message>
    <message>
        <location filename="../../wizard/gui/pages/checks.py" line="206" />
        <source>The server's certificate could not be verified. You decided to trust it, and it was accepted because its fingerprint is the one you trust.</source>
        <translation>Сертификат сервера не удалось проверить. Вы решили ему доверять, и он принят, потому что его отпечаток совпадает с тем, которому вы доверяете.</translation>
    </message>
    <message>
        <location filename="../../wizard/gui/pages/checks.py" line="209" />
        <source>The server's certificate could not be verified. Someone may be intercepting the connection. Trust it only if your provider or administrator confirms this fingerprint.</source>
        <translation>Сертификат сервера не удалось проверить. Возможно, соединение перехватывают. Доверяйте ему, только если ваш почтовый сервис или администратор подтвердит этот отпечаток.</translation>
    </message>
    <message>
        <location filename="../../wizard/gui/pages/checks.py" line="212" />
        <source>Issued to</source>
        <translation>Кому выдан</translation>
    </message>
    <message>
        <location filename="../../wizard/gui/pages/checks.py" line="213" />
        <source>Issued by</source>
        <translation>Кем выдан</translation>
    </message>
    <message>
        <location filename="../../wizard/gui/pages/checks.py" line="214" />
        <source>Valid until</source>
        <translation>Действует до</translation>
    </message>
    <message>
        <location filename="../../wizard/gui/pages/checks.py" line="215" />
        <source>SHA-256 fingerprint</source>
        <translation>Отпечаток SHA-256</translation>
    </message>
    <message>
        <location filename="../../wizard/gui/pages/checks.py" line="220" />
        <source>I trust this certificate (fingerprint %1…)</source>
        <translation>Я доверяю этому сертификату (отпечаток %1…)</translation>
    </message>
</context>
<context>
    <name>ServerEditor</name>
    <message>
        <location filename="../../wizard/gui/pages/editor.py" line="58" />
        <source>Incoming mail (%1)</source>
        <translation>Входящая почта (%1)</translation>
    </message>
    <message>
        <location filename="../../wizard/gui/pages/editor.py" line="61" />
        <source>Outgoing mail (SMTP)</source>
        <translation>Исходящая почта (SMTP)</translation>
    </message>
    <message>
        <location filename="../../wizard/gui/pages/editor.py" line="63" />
        <source>Server</source>
        <translation>Сервер</translation>
    </message>
    <message>
        <location filename="../../wizard/gui/pages/editor.py" line="64" />
        <source>Port</source>
        <translation>Порт</translation>
    </message>
    <message>
        <location filename="../../wizard/gui/pages/editor.py" line="65" />
        <source>Security</source>
        <translation>Защита</translation>
    </message>
    <message>
        <location filename="../../wizard/gui/pages/editor.py" line="66" />
        <source>Authentication</source>
        <translation>Аутентификация</translation>
    </message>
    <message>
        <location filename="../../wizard/gui/pages/editor.py" line="67" />
        <source>User name</source>
        <translation>Имя пользователя</translation>
    </message>
</context>
<context>
    <name>SettingsPage</name>
    <message>
        <location filename="../../wizard/gui/pages/settings.py" line="84" />
        <source>Your settings</source>
        <translation>Ваши настройки</translation>
    </message>
    <message>
        <location filename="../../wizard/gui/pages/settings.py" line="85" />
        <source>Check what was found, or change it by hand.</source>
        <translation>Проверьте найденные настройки или измените их вручную.</translation>
    </message>
    <message>
        <location filename="../../wizard/gui/pages/settings.py" line="86" />
        <source>I &amp;trust these servers with my password</source>
        <translation>Я &amp;доверяю этим серверам свой пароль</translation>
    </message>
    <message>
        <location filename="../../wizard/gui/pages/settings.py" line="87" />
        <source>Receive mail with:</source>
        <translation>Получать почту по:</translation>
    </message>
    <message>
        <location filename="../../wizard/gui/pages/settings.py" line="88" />
        <source>&amp;IMAP (recommended: mail stays on the server)</source>
        <translation>&amp;IMAP (рекомендуется: письма остаются на сервере)</translation>
    </message>
    <message>
        <location filename="../../wizard/gui/pages/settings.py" line="89" />
        <source>&amp;POP3 (mail is downloaded to this computer)</source>
        <translation>&amp;POP3 (письма загружаются на этот компьютер)</translation>
    </message>
    <message>
        <location filename="../../wizard/gui/pages/settings.py" line="90" />
        <source>&amp;Edit the settings by hand</source>
        <translation>&amp;Изменить настройки вручную</translation>
    </message>
    <message>
        <location filename="../../wizard/gui/pages/settings.py" line="102" />
        <source>Provider: %1</source>
        <translation>Почтовый сервис: %1</translation>
    </message>
    <message>
        <location filename="../../wizard/gui/pages/settings.py" line="104" />
        <source>Provider: not in MailWizard's list</source>
        <translation>Почтовый сервис: нет в списке MailWizard</translation>
    </message>
    <message>
        <location filename="../../wizard/gui/pages/settings.py" line="106" />
        <source>No settings were found. Please type them in; your provider's help pages list them.</source>
        <translation>Настройки не найдены. Введите их вручную — они есть в справке вашего почтового сервиса.</translation>
    </message>
    <message>
        <location filename="../../wizard/gui/pages/settings.py" line="109" />
        <source>a trusted source</source>
        <translation>надёжный источник</translation>
    </message>
    <message>
        <location filename="../../wizard/gui/pages/settings.py" line="110" />
        <source>NOT a trusted source</source>
        <translation>НЕнадёжный источник</translation>
    </message>
    <message>
        <location filename="../../wizard/gui/pages/settings.py" line="111" />
        <source>Found in: %1 (%2)</source>
        <translation>Источник: %1 (%2)</translation>
    </message>
    <message>
        <location filename="../../wizard/gui/pages/settings.py" line="115" />
        <source>How to do it</source>
        <translation>Как это сделать</translation>
    </message>
    <message>
        <location filename="../../wizard/gui/pages/settings.py" line="128" />
        <source>Warning: these settings came from a source an attacker on your network could have changed, or they name servers outside your domain (%1). Your password will be sent to them. Continue only if you know these servers belong to your mail provider.</source>
        <translation>Внимание: эти настройки получены из источника, который злоумышленник в вашей сети мог подменить, или они указывают на серверы вне вашего домена (%1). Ваш пароль будет отправлен этим серверам. Продолжайте, только если знаете, что они принадлежат вашему почтовому сервису.</translation>
    </message>
    <message>
        <location filename="../../wizard/gui/pages/settings.py" line="145" />
        <source>Incoming: %1</source>
        <translation>Входящая: %1</translation>
    </message>
    <message>
        <location filename="../../wizard/gui/pages/settings.py" line="147" />
        <source>Outgoing: %1</source>
        <translation>Исходящая: %1</translation>
    </message>
    <message>
        <location filename="../../wizard/gui/pages/settings.py" line="150" />
        <source>User name: %1</source>
        <translation>Имя пользователя: %1</translation>
    </message>
</context>
<context>
    <name>Targets</name>
    <message>
        <location filename="../../wizard/gui/pages/save.py" line="42" />
        <source>Thunderbird: add the account to a profile</source>
        <translation>Thunderbird: добавить ящик в профиль</translation>
    </message>
    <message>
        <location filename="../../wizard/gui/pages/save.py" line="45" />
        <source>Thunderbird settings file (config-v1.1.xml)</source>
        <translation>Файл настроек Thunderbird (config-v1.1.xml)</translation>
    </message>
    <message>
        <location filename="../../wizard/gui/pages/save.py" line="48" />
        <source>Outlook: profile file (PRF)</source>
        <translation>Outlook: файл профиля (PRF)</translation>
    </message>
    <message>
        <location filename="../../wizard/gui/pages/save.py" line="49" />
        <source>Outlook 2016 and later: Autodiscover file</source>
        <translation>Outlook 2016 и новее: файл Autodiscover</translation>
    </message>
    <message>
        <location filename="../../wizard/gui/pages/save.py" line="52" />
        <source>iPhone, iPad and Mac: configuration profile</source>
        <translation>iPhone, iPad и Mac: профиль конфигурации</translation>
    </message>
    <message>
        <location filename="../../wizard/gui/pages/save.py" line="55" />
        <source>Thunderbird for Android: QR code</source>
        <translation>Thunderbird для Android: QR-код</translation>
    </message>
    <message>
        <location filename="../../wizard/gui/pages/save.py" line="56" />
        <source>K-9 Mail: settings file</source>
        <translation>K-9 Mail: файл настроек</translation>
    </message>
    <message>
        <location filename="../../wizard/gui/pages/save.py" line="57" />
        <source>Web site: PHPMailer code</source>
        <translation>Сайт: код для PHPMailer</translation>
    </message>
    <message>
        <location filename="../../wizard/gui/pages/save.py" line="58" />
        <source>Web site: WordPress (WP Mail SMTP)</source>
        <translation>Сайт: WordPress (WP Mail SMTP)</translation>
    </message>
    <message>
        <location filename="../../wizard/gui/pages/save.py" line="59" />
        <source>Web site: Joomla</source>
        <translation>Сайт: Joomla</translation>
    </message>
    <message>
        <location filename="../../wizard/gui/pages/save.py" line="60" />
        <source>msmtp</source>
        <translation>msmtp</translation>
    </message>
    <message>
        <location filename="../../wizard/gui/pages/save.py" line="61" />
        <source>NeoMutt</source>
        <translation>NeoMutt</translation>
    </message>
    <message>
        <location filename="../../wizard/gui/pages/save.py" line="62" />
        <source>aerc</source>
        <translation>aerc</translation>
    </message>
    <message>
        <location filename="../../wizard/gui/pages/save.py" line="63" />
        <source>mbsync (isync)</source>
        <translation>mbsync (isync)</translation>
    </message>
    <message>
        <location filename="../../wizard/gui/pages/save.py" line="64" />
        <source>Domain administrators: what to publish so programs find the settings</source>
        <translation>Администраторам домена: что опубликовать, чтобы программы находили настройки</translation>
    </message>
</context>
<context>
    <name>Texts</name>
    <message>
        <location filename="../../wizard/gui/texts.py" line="20" />
        <source>MailWizard's list of providers</source>
        <translation>Список почтовых сервисов MailWizard</translation>
    </message>
    <message>
        <location filename="../../wizard/gui/texts.py" line="21" />
        <source>The domain's own settings file</source>
        <translation>Файл настроек самого домена</translation>
    </message>
    <message>
        <location filename="../../wizard/gui/texts.py" line="22" />
        <source>Thunderbird's provider database</source>
        <translation>База почтовых сервисов Thunderbird</translation>
    </message>
    <message>
        <location filename="../../wizard/gui/texts.py" line="23" />
        <source>The domain's mail server (MX)</source>
        <translation>Почтовый сервер домена (MX)</translation>
    </message>
    <message>
        <location filename="../../wizard/gui/texts.py" line="24" />
        <source>Service records in DNS (SRV)</source>
        <translation>Служебные записи DNS (SRV)</translation>
    </message>
    <message>
        <location filename="../../wizard/gui/texts.py" line="25" />
        <source>Exchange Autodiscover</source>
        <translation>Exchange Autodiscover</translation>
    </message>
    <message>
        <location filename="../../wizard/gui/texts.py" line="26" />
        <source>Trying common server names</source>
        <translation>Проверка типичных имён серверов</translation>
    </message>
    <message>
        <location filename="../../wizard/gui/texts.py" line="29" />
        <source>Entered by hand</source>
        <translation>Введено вручную</translation>
    </message>
    <message>
        <location filename="../../wizard/gui/texts.py" line="35" />
        <source>trying…</source>
        <translation>проверяется…</translation>
    </message>
    <message>
        <location filename="../../wizard/gui/texts.py" line="36" />
        <source>found</source>
        <translation>найдено</translation>
    </message>
    <message>
        <location filename="../../wizard/gui/texts.py" line="37" />
        <source>nothing there</source>
        <translation>ничего нет</translation>
    </message>
    <message>
        <location filename="../../wizard/gui/texts.py" line="38" />
        <source>failed</source>
        <translation>ошибка</translation>
    </message>
    <message>
        <location filename="../../wizard/gui/texts.py" line="39" />
        <source>skipped</source>
        <translation>пропущено</translation>
    </message>
    <message>
        <location filename="../../wizard/gui/texts.py" line="45" />
        <source>SSL/TLS</source>
        <translation>SSL/TLS</translation>
    </message>
    <message>
        <location filename="../../wizard/gui/texts.py" line="46" />
        <source>STARTTLS</source>
        <translation>STARTTLS</translation>
    </message>
    <message>
        <location filename="../../wizard/gui/texts.py" line="47" />
        <source>None (unencrypted)</source>
        <translation>Нет (без шифрования)</translation>
    </message>
    <message>
        <location filename="../../wizard/gui/texts.py" line="53" />
        <source>Normal password</source>
        <translation>Обычный пароль</translation>
    </message>
    <message>
        <location filename="../../wizard/gui/texts.py" line="54" />
        <source>Encrypted password</source>
        <translation>Зашифрованный пароль</translation>
    </message>
    <message>
        <location filename="../../wizard/gui/texts.py" line="55" />
        <source>OAuth2 (sign in with the provider)</source>
        <translation>OAuth2 (вход через почтовый сервис)</translation>
    </message>
    <message>
        <location filename="../../wizard/gui/texts.py" line="56" />
        <source>NTLM</source>
        <translation>NTLM</translation>
    </message>
    <message>
        <location filename="../../wizard/gui/texts.py" line="57" />
        <source>Kerberos (GSSAPI)</source>
        <translation>Kerberos (GSSAPI)</translation>
    </message>
    <message>
        <location filename="../../wizard/gui/texts.py" line="58" />
        <source>No login (by IP address)</source>
        <translation>Без входа (по IP-адресу)</translation>
    </message>
    <message>
        <location filename="../../wizard/gui/texts.py" line="59" />
        <source>Client certificate</source>
        <translation>Сертификат клиента</translation>
    </message>
    <message>
        <location filename="../../wizard/gui/texts.py" line="60" />
        <source>No authentication</source>
        <translation>Без аутентификации</translation>
    </message>
    <message>
        <location filename="../../wizard/gui/texts.py" line="69" />
        <source>{protocol} {host}, port {port}, {security}</source>
        <translation>{protocol} {host}, порт {port}, {security}</translation>
    </message>
    <message>
        <location filename="../../wizard/gui/texts.py" line="80" />
        <source>Please fill this in.</source>
        <translation>Заполните это поле.</translation>
    </message>
    <message>
        <location filename="../../wizard/gui/texts.py" line="81" />
        <source>This is not a valid server name (for example imap.example.com).</source>
        <translation>Это не имя сервера (пример: imap.example.ru).</translation>
    </message>
    <message>
        <location filename="../../wizard/gui/texts.py" line="83" />
        <source>The port must be a number from 1 to 65535.</source>
        <translation>Порт — это число от 1 до 65535.</translation>
    </message>
</context>
<context>
    <name>TranscriptDialog</name>
    <message>
        <location filename="../../wizard/gui/pages/checks.py" line="96" />
        <source>Transcript: %1</source>
        <translation>Протокол: %1</translation>
    </message>
    <message>
        <location filename="../../wizard/gui/pages/checks.py" line="101" />
        <source>&amp;Conversation with the server (passwords are hidden)</source>
        <translation>&amp;Обмен данными с сервером (пароли скрыты)</translation>
    </message>
    <message>
        <location filename="../../wizard/gui/pages/checks.py" line="103" />
        <source>Conversation with the server (passwords are hidden)</source>
        <translation>Обмен данными с сервером (пароли скрыты)</translation>
    </message>
    <message>
        <location filename="../../wizard/gui/pages/checks.py" line="105" />
        <source>Copy for a &amp;support ticket</source>
        <translation>Скопировать для &amp;обращения в поддержку</translation>
    </message>
    <message>
        <location filename="../../wizard/gui/pages/checks.py" line="122" />
        <source>Copied. Paste it into your message to the help desk.</source>
        <translation>Скопировано. Вставьте это в письмо в службу поддержки.</translation>
    </message>
</context>
<context>
    <name>VerifyPage</name>
    <message>
        <location filename="../../wizard/gui/pages/verify.py" line="72" />
        <source>Checking your settings</source>
        <translation>Проверка настроек</translation>
    </message>
    <message>
        <location filename="../../wizard/gui/pages/verify.py" line="73" />
        <source>MailWizard connects to each server and logs in, as your mail program will.</source>
        <translation>MailWizard подключается к каждому серверу и входит в ящик — так же, как это будет делать почтовая программа.</translation>
    </message>
    <message>
        <location filename="../../wizard/gui/pages/verify.py" line="75" />
        <source>S&amp;top</source>
        <translation>&amp;Остановить</translation>
    </message>
    <message>
        <location filename="../../wizard/gui/pages/verify.py" line="76" />
        <source>Check &amp;again</source>
        <translation>Проверить &amp;снова</translation>
    </message>
    <message>
        <location filename="../../wizard/gui/pages/verify.py" line="77" />
        <source>Also &amp;send a test message to myself</source>
        <translation>Отправить себе &amp;тестовое письмо</translation>
    </message>
    <message>
        <location filename="../../wizard/gui/pages/verify.py" line="78" />
        <source>&amp;Keep these settings although the check failed</source>
        <translation>&amp;Оставить эти настройки, хотя проверка не прошла</translation>
    </message>
    <message>
        <location filename="../../wizard/gui/pages/verify.py" line="104" />
        <source>Checking…</source>
        <translation>Проверка…</translation>
    </message>
    <message>
        <location filename="../../wizard/gui/pages/verify.py" line="106" />
        <source>Everything works, with the certificate you decided to trust by its fingerprint. Your mail program will ask you to accept it too. Press Next to save the account.</source>
        <translation>Всё работает — с сертификатом, которому вы решили доверять по его отпечатку. Ваша почтовая программа тоже попросит принять его. Нажмите «Далее», чтобы сохранить настройки.</translation>
    </message>
    <message>
        <location filename="../../wizard/gui/pages/verify.py" line="110" />
        <source>Everything works. Press Next to save the account.</source>
        <translation>Всё работает. Нажмите «Далее», чтобы сохранить настройки.</translation>
    </message>
    <message>
        <location filename="../../wizard/gui/pages/verify.py" line="112" />
        <source>A certificate needs your decision. If you trust it, tick the box and press Check again.</source>
        <translation>Нужно ваше решение о сертификате. Если доверяете ему, поставьте флажок и нажмите «Проверить снова».</translation>
    </message>
    <message>
        <location filename="../../wizard/gui/pages/verify.py" line="115" />
        <source>Some checks failed. Read the explanation below, correct the settings (Back) or the password, and check again.</source>
        <translation>Часть проверок не прошла. Прочитайте пояснение ниже, исправьте настройки («Назад») или пароль и проверьте снова.</translation>
    </message>
    <message>
        <location filename="../../wizard/gui/pages/verify.py" line="118" />
        <source>The check was stopped.</source>
        <translation>Проверка остановлена.</translation>
    </message>
    <message>
        <location filename="../../wizard/gui/pages/verify.py" line="127" />
        <source>Test message sent and received in %1 s.</source>
        <translation>Тестовое письмо отправлено и получено за %1 с.</translation>
    </message>
    <message>
        <location filename="../../wizard/gui/pages/verify.py" line="130" />
        <source>The test message did not arrive: %1</source>
        <translation>Тестовое письмо не пришло: %1</translation>
    </message>
</context>
</TS>