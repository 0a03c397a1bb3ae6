<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="de" sourcelanguage="en">
<context>
    <name>Age</name>
    <message>
        <location filename="../hmi/gui/text.py" line="+34"/>
        <source>now</source>
        <translation>jetzt</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>%n s</source>
        <translation>%n s</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>%n min</source>
        <translation>%n min</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>%n h</source>
        <translation>%n h</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>%n d</source>
        <translation>%n d</translation>
    </message>
</context>
<context>
    <name>AlarmBanner</name>
    <message>
        <location filename="../hmi/gui/alarms/banner.py" line="+194"/>
        <location line="+35"/>
        <source>Silence</source>
        <translation>Ruhe</translation>
    </message>
    <message>
        <location line="-6"/>
        <source>Unacknowledged %1 · Active %2 · Hidden %3</source>
        <translation>Unquittiert %1 · Aktiv %2 · Ausgeblendet %3</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Silent</source>
        <translation>Still</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>No unacknowledged alarms</source>
        <translation>Keine unquittierten Alarme</translation>
    </message>
</context>
<context>
    <name>AlarmEvent</name>
    <message>
        <location filename="../hmi/gui/alarms/look.py" line="+58"/>
        <source>Active</source>
        <translation>Aktiv</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Cleared</source>
        <translation>Gegangen</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Acknowledged</source>
        <translation>Quittiert</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Confirmed</source>
        <translation>Bestätigt</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Comment</source>
        <translation>Kommentar</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Shelved</source>
        <translation>Zurückgestellt</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Unshelved</source>
        <translation>Zurückstellung beendet</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Suppressed</source>
        <translation>Unterdrückt</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Unsuppressed</source>
        <translation>Nicht mehr unterdrückt</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Out of service</source>
        <translation>Außer Betrieb</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Back in service</source>
        <translation>Wieder in Betrieb</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Removed by the server</source>
        <translation>Vom Server entfernt</translation>
    </message>
</context>
<context>
    <name>AlarmJournalPage</name>
    <message>
        <location filename="../hmi/gui/alarms/journal_page.py" line="+278"/>
        <source>Alarm journal</source>
        <translation>Alarmjournal</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Last</source>
        <translation>Letzte</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>1 h</source>
        <translation>1 h</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>8 h (shift)</source>
        <translation>8 h (Schicht)</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>24 h</source>
        <translation>24 h</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>7 days</source>
        <translation>7 Tage</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>From</source>
        <translation>Von</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>to</source>
        <translation>bis</translation>
    </message>
    <message>
        <location line="+18"/>
        <source>All stations</source>
        <translation>Alle Stationen</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>Show or hide this priority</source>
        <translation>Diese Priorität zeigen oder ausblenden</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>All events</source>
        <translation>Alle Ereignisse</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Activations only</source>
        <translation>Nur Auslösungen</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Operator actions only</source>
        <translation>Nur Bedienhandlungen</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Message, alarm or user</source>
        <translation>Meldung, Alarm oder Benutzer</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Search</source>
        <translation>Suchen</translation>
    </message>
    <message>
        <location line="+67"/>
        <source>Export CSV…</source>
        <translation>CSV exportieren…</translation>
    </message>
    <message>
        <location line="+57"/>
        <source>The window must end after it starts.</source>
        <translation>Das Ende muss nach dem Anfang liegen.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Choose at least one priority.</source>
        <translation>Mindestens eine Priorität wählen.</translation>
    </message>
    <message>
        <location line="+24"/>
        <source>Searching…</source>
        <translation>Suche läuft…</translation>
    </message>
    <message>
        <location line="+23"/>
        <source>Showing the newest %1 lines of the window: narrow the window or the filters to see the earlier ones.</source>
        <translation>Die neuesten %1 Zeilen werden gezeigt: Zeitraum oder Filter eingrenzen, um die älteren zu sehen.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>No lines match.</source>
        <translation>Keine passenden Zeilen.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>%1 line(s)</source>
        <translation>%1 Zeile(n)</translation>
    </message>
    <message>
        <location line="+17"/>
        <source>Export the alarm journal</source>
        <translation>Alarmjournal exportieren</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>CSV (*.csv)</source>
        <translation>CSV (*.csv)</translation>
    </message>
    <message>
        <location line="+19"/>
        <source>Nothing to export: search first.</source>
        <translation>Nichts zu exportieren: zuerst suchen.</translation>
    </message>
    <message>
        <location line="+31"/>
        <source>Exporting to %1 …</source>
        <translation>Export nach %1 …</translation>
    </message>
    <message>
        <location line="+18"/>
        <source>Export failed: %1</source>
        <translation>Export fehlgeschlagen: %1</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Export failed: an internal error (details in the log).</source>
        <translation>Export fehlgeschlagen: interner Fehler (Details im Protokoll).</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Saved %1 rows to %2</source>
        <translation>%1 Zeilen in %2 gespeichert</translation>
    </message>
</context>
<context>
    <name>AlarmKpiPage</name>
    <message>
        <location filename="../hmi/gui/alarms/kpi_page.py" line="+283"/>
        <source>Alarm performance</source>
        <translation>Alarmkennzahlen</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>All stations</source>
        <translation>Alle Stationen</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Last 24 h</source>
        <translation>Letzte 24 h</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Last 7 days</source>
        <translation>Letzte 7 Tage</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Last 30 days</source>
        <translation>Letzte 30 Tage</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Refresh</source>
        <translation>Aktualisieren</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>acceptable ≤ %1
manageable ≤ %2</source>
        <translation>akzeptabel ≤ %1
beherrschbar ≤ %2</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Alarms per 10 min</source>
        <translation>Alarme pro 10 min</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Alarms per hour</source>
        <translation>Alarme pro Stunde</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Alarm load</source>
        <translation>Alarmlast</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>the average rate against
the ISA-18.2 targets</source>
        <translation>mittlere Rate gegen
die Ziele der ISA-18.2</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Peak in 10 min</source>
        <translation>Spitze in 10 min</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>a flood starts
above %1</source>
        <translation>Alarmflut ab
mehr als %1</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Floods</source>
        <translation>Alarmfluten</translation>
    </message>
    <message>
        <location line="+26"/>
        <source>Start</source>
        <translation>Beginn</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Length</source>
        <translation>Dauer</translation>
    </message>
    <message>
        <location line="+0"/>
        <location line="+6"/>
        <source>Count</source>
        <translation>Anzahl</translation>
    </message>
    <message>
        <location line="-6"/>
        <source>Peak</source>
        <translation>Spitze</translation>
    </message>
    <message>
        <location line="+3"/>
        <location line="+1"/>
        <source>Alarm</source>
        <translation>Alarm</translation>
    </message>
    <message>
        <location line="-1"/>
        <location line="+1"/>
        <location line="+2"/>
        <source>Message</source>
        <translation>Meldung</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Share</source>
        <translation>Anteil</translation>
    </message>
    <message>
        <location line="+96"/>
        <source>Reading the alarm journal…</source>
        <translation>Alarmjournal wird gelesen…</translation>
    </message>
    <message>
        <location line="+31"/>
        <source>%1 to %2 · %3 · %4 annunciated alarms · read at %5</source>
        <translation>%1 bis %2 · %3 · %4 gemeldete Alarme · gelesen um %5</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>all stations</source>
        <translation>alle Stationen</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>%1 of the time in flood
(target &lt; %2 %)</source>
        <translation>%1 der Zeit in Alarmflut
(Ziel &lt; %2 %)</translation>
    </message>
    <message>
        <location line="+24"/>
        <source>Floods: %1</source>
        <translation>Alarmfluten: %1</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Chattering: %1 (target 0)</source>
        <translation>Flatternd: %1 (Ziel 0)</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Standing &gt; 24 h: %1 (target &lt; %2)</source>
        <translation>Stehend &gt; 24 h: %1 (Ziel &lt; %2)</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Top 10 bad actors: %1 of all alarms</source>
        <translation>10 häufigste Alarme: %1 aller Alarme</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Priority of the annunciated alarms</source>
        <translation>Priorität der gemeldeten Alarme</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>met</source>
        <translation>erreicht</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>not met</source>
        <translation>nicht erreicht</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Acceptable</source>
        <translation>Akzeptabel</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Manageable</source>
        <translation>Beherrschbar</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Overloaded</source>
        <translation>Überlastet</translation>
    </message>
</context>
<context>
    <name>AlarmState</name>
    <message>
        <location filename="../hmi/gui/alarms/look.py" line="+7"/>
        <source>Normal</source>
        <translation>Normal</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Unacknowledged</source>
        <translation>Unquittiert</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Acknowledged</source>
        <translation>Quittiert</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Cleared, unacknowledged</source>
        <translation>Gegangen, unquittiert</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Shelved</source>
        <translation>Zurückgestellt</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Suppressed by design</source>
        <translation>Unterdrückt (Anlagenzustand)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Out of service</source>
        <translation>Außer Betrieb</translation>
    </message>
</context>
<context>
    <name>AlarmTableModel</name>
    <message>
        <location filename="../hmi/gui/alarms/model.py" line="+83"/>
        <source>Priority</source>
        <translation>Priorität</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Time</source>
        <translation>Zeit</translation>
    </message>
    <message>
        <location line="+1"/>
        <location filename="../hmi/gui/alarms/page.py" line="+274"/>
        <source>Station</source>
        <translation>Station</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Alarm</source>
        <translation>Alarm</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Value</source>
        <translation>Wert</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>State</source>
        <translation>Zustand</translation>
    </message>
    <message>
        <location line="+151"/>
        <source> (input bad)</source>
        <translation> (Eingang schlecht)</translation>
    </message>
</context>
<context>
    <name>AlarmsPage</name>
    <message>
        <location filename="../hmi/gui/alarms/page.py" line="-196"/>
        <source>Cancel</source>
        <translation>Abbrechen</translation>
    </message>
    <message>
        <location line="+90"/>
        <source>Active</source>
        <translation>Aktiv</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Shelved / out of service</source>
        <translation>Zurückgestellt / außer Betrieb</translation>
    </message>
    <message>
        <location line="+51"/>
        <source>All stations</source>
        <translation>Alle Stationen</translation>
    </message>
    <message>
        <location line="+14"/>
        <source>Unacknowledged only</source>
        <translation>Nur unquittierte</translation>
    </message>
    <message>
        <location line="+62"/>
        <location line="+201"/>
        <source>Select an alarm</source>
        <translation>Einen Alarm wählen</translation>
    </message>
    <message>
        <location line="-175"/>
        <location line="+161"/>
        <source>Acknowledge</source>
        <translation>Quittieren</translation>
    </message>
    <message>
        <location line="-154"/>
        <source>Confirm</source>
        <translation>Bestätigen</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Comment…</source>
        <translation>Kommentar…</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Shelve…</source>
        <translation>Zurückstellen…</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Out of service…</source>
        <translation>Außer Betrieb…</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Station</source>
        <translation>Station</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Trend</source>
        <translation>Trend</translation>
    </message>
    <message>
        <location line="+47"/>
        <source>Unshelve</source>
        <translation>Zurückholen</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Return to service</source>
        <translation>Wieder in Betrieb</translation>
    </message>
    <message>
        <location line="+21"/>
        <source>Shelved / out of service (%1)</source>
        <translation>Zurückgestellt / außer Betrieb (%1)</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Active (%1)</source>
        <translation>Aktiv (%1)</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>%1 listed, %2 unacknowledged</source>
        <translation>%1 gelistet, %2 unquittiert</translation>
    </message>
    <message>
        <location line="+4"/>
        <source> — the first %1 shown: filter by station or priority for the rest</source>
        <translation> — die ersten %1 gezeigt: nach Station oder Priorität filtern für den Rest</translation>
    </message>
    <message>
        <location line="+49"/>
        <source>Acknowledge %1</source>
        <translation>%1 quittieren</translation>
    </message>
    <message>
        <location line="+14"/>
        <source>%1 alarms selected</source>
        <translation>%1 Alarme gewählt</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>Since %1</source>
        <translation>Seit %1</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Comment: %1</source>
        <translation>Kommentar: %1</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>What to do: %1</source>
        <translation>Was tun: %1</translation>
    </message>
    <message>
        <location line="+24"/>
        <source>until it clears</source>
        <translation>bis er geht</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>%1 min left</source>
        <translation>noch %1 min</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>at the server</source>
        <translation>am Server</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>%1 — shelved by %2: %3 (%4)</source>
        <translation>%1 — zurückgestellt von %2: %3 (%4)</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>%1 — out of service by %2 since %3: %4</source>
        <translation>%1 — außer Betrieb durch %2 seit %3: %4</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>%1 — suppressed by design (station state)</source>
        <translation>%1 — unterdrückt (Zustand der Station)</translation>
    </message>
    <message>
        <location line="+24"/>
        <source>Comment — %1</source>
        <translation>Kommentar — %1</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Your comment:</source>
        <translation>Ihr Kommentar:</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Save</source>
        <translation>Speichern</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Until it clears</source>
        <translation>Bis er geht</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Shelve — %1</source>
        <translation>Zurückstellen — %1</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Why? The alarm stays silent until the time runs out (at most %1 min).</source>
        <translation>Warum? Der Alarm bleibt still, bis die Zeit abläuft (höchstens %1 min).</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Shelve</source>
        <translation>Zurückstellen</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>Out of service — %1</source>
        <translation>Außer Betrieb — %1</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Why? (for example: transmitter being replaced, work order 4711)</source>
        <translation>Warum? (zum Beispiel: Messumformer wird getauscht, Auftrag 4711)</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Take out of service</source>
        <translation>Außer Betrieb nehmen</translation>
    </message>
</context>
<context>
    <name>Annunciator</name>
    <message>
        <location filename="../hmi/gui/alarms/banner.py" line="-147"/>
        <source>No horn: this build has no sound</source>
        <translation>Keine Hupe: diese Version hat keinen Ton</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>No horn: no sound device</source>
        <translation>Keine Hupe: kein Tonausgabegerät</translation>
    </message>
</context>
<context>
    <name>BrowserPanel</name>
    <message>
        <location filename="../hmi/gui/browser.py" line="+79"/>
        <source>Browse the sources</source>
        <translation>Quellen durchsuchen</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Refresh</source>
        <translation>Aktualisieren</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Drag a tag onto the trend to draw it.</source>
        <translation>Eine Variable auf den Trend ziehen, um sie zu zeichnen.</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Node or topic</source>
        <translation>Knoten oder Topic</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Tag</source>
        <translation>Variable</translation>
    </message>
    <message>
        <location line="+68"/>
        <source>not in the plant file</source>
        <translation>nicht in der Anlagendatei</translation>
    </message>
    <message>
        <location line="+54"/>
        <source>no message yet</source>
        <translation>noch keine Nachricht</translation>
    </message>
</context>
<context>
    <name>DimLayer</name>
    <message>
        <location filename="../hmi/gui/kiosk.py" line="+86"/>
        <source>Touch to wake</source>
        <translation>Berühren zum Aufwecken</translation>
    </message>
</context>
<context>
    <name>DiscardSheet</name>
    <message>
        <location filename="../hmi/gui/sync_page.py" line="+273"/>
        <source>Discard quarantined records?</source>
        <translation>Einträge in Quarantäne verwerfen?</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Keep them</source>
        <translation>Behalten</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Discard</source>
        <translation>Verwerfen</translation>
    </message>
    <message numerus="yes">
        <location line="+12"/>
        <source>%n record(s) will not be sent to the MES. They stay in the cache and in the audit trail. Needs the engineer or admin role.</source>
        <translation>
            <numerusform>%n Eintrag wird nicht an das MES gesendet. Er bleibt im Speicher und im Audit-Trail. Nur mit der Rolle Ingenieur oder Admin.</numerusform>
            <numerusform>%n Einträge werden nicht an das MES gesendet. Sie bleiben im Speicher und im Audit-Trail. Nur mit der Rolle Ingenieur oder Admin.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>DowntimePanel</name>
    <message>
        <location filename="../hmi/gui/downtime/panel.py" line="+203"/>
        <source>Order…</source>
        <translation>Auftrag…</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Order %1</source>
        <translation>Auftrag %1</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>batch %1</source>
        <translation>Charge %1</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>No order known</source>
        <translation>Kein Auftrag bekannt</translation>
    </message>
    <message>
        <location line="+18"/>
        <location line="+230"/>
        <source>Give reason…</source>
        <translation>Grund angeben…</translation>
    </message>
    <message>
        <location line="-227"/>
        <source>Stop by hand…</source>
        <translation>Stillstand von Hand…</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>End stop</source>
        <translation>Stillstand beenden</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>Reasons…</source>
        <translation>Gründe…</translation>
    </message>
    <message>
        <location line="+16"/>
        <source>Shift…</source>
        <translation>Schicht…</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>OEE</source>
        <translation>OEE</translation>
    </message>
    <message>
        <location line="+16"/>
        <source>Availability</source>
        <translation>Verfügbarkeit</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Performance</source>
        <translation>Leistung</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Quality</source>
        <translation>Qualität</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>⚑ Performance over 100 %, shown as 100 %: check the ideal cycle.</source>
        <translation>⚑ Leistung über 100 %, als 100 % gezeigt: Idealtakt prüfen.</translation>
    </message>
    <message>
        <location line="+14"/>
        <source>Top losses (unplanned)</source>
        <translation>Größte Verluste (ungeplant)</translation>
    </message>
    <message>
        <location line="+18"/>
        <source>No unplanned downtime in this window.</source>
        <translation>Kein ungeplanter Stillstand in diesem Zeitraum.</translation>
    </message>
    <message>
        <location line="+63"/>
        <source>OEE not updated: %1</source>
        <translation>OEE nicht aktualisiert: %1</translation>
    </message>
    <message>
        <location line="+47"/>
        <source>No stop open</source>
        <translation>Kein Stillstand offen</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Stops open from the machine state.</source>
        <translation>Stillstände öffnen sich aus dem Maschinenzustand.</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Reason: %1</source>
        <translation>Grund: %1</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>No reason given yet</source>
        <translation>Noch kein Grund angegeben</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Change reason…</source>
        <translation>Grund ändern…</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>Waiting for a reason: %1</source>
        <translation>Warten auf Grund: %1</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>OEE %1–%2</source>
        <translation>OEE %1–%2</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>OEE · shift %1 since %2</source>
        <translation>OEE · Schicht %1 seit %2</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>OEE since %1</source>
        <translation>OEE seit %1</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>Good %1
Reject %2</source>
        <translation>Gut %1
Ausschuss %2</translation>
    </message>
    <message>
        <location line="+28"/>
        <source>%n stop(s)</source>
        <translation>Stillstände: %n</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>%1 min</source>
        <translation>%1 min</translation>
    </message>
    <message>
        <location line="+32"/>
        <source>Reasons waiting</source>
        <translation>Gründe offen</translation>
    </message>
    <message>
        <location line="+26"/>
        <source>Reasons waiting: %1</source>
        <translation>Gründe offen: %1</translation>
    </message>
</context>
<context>
    <name>ExitSheet</name>
    <message>
        <location filename="../hmi/gui/kiosk.py" line="+13"/>
        <source>Leave kiosk mode</source>
        <translation>Kioskmodus verlassen</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Administrator</source>
        <translation>Administrator</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>PIN</source>
        <translation>PIN</translation>
    </message>
    <message>
        <location line="+3"/>
        <location line="+21"/>
        <source>Only an administrator can close Floorline here.</source>
        <translation>Nur ein Administrator kann Floorline hier schließen.</translation>
    </message>
    <message>
        <location line="-15"/>
        <source>Back</source>
        <translation>Zurück</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Close Floorline</source>
        <translation>Floorline schließen</translation>
    </message>
    <message>
        <location line="+31"/>
        <source>✕ Refused: only an administrator can close Floorline.</source>
        <translation>✕ Abgelehnt: nur ein Administrator kann Floorline schließen.</translation>
    </message>
</context>
<context>
    <name>HmiStatusBar</name>
    <message numerus="yes">
        <location filename="../hmi/gui/status_bar.py" line="+142"/>
        <source>⚠ Records: %n quarantined</source>
        <translation>
            <numerusform>⚠ Einträge: %n in Quarantäne</numerusform>
            <numerusform>⚠ Einträge: %n in Quarantäne</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location line="+2"/>
        <source>⊘ Records: %n waiting, MES not reachable</source>
        <translation>
            <numerusform>⊘ Einträge: %n wartet, MES nicht erreichbar</numerusform>
            <numerusform>⊘ Einträge: %n warten, MES nicht erreichbar</numerusform>
        </translation>
    </message>
    <message>
        <location line="+2"/>
        <source>○ Records: kept here</source>
        <translation>○ Einträge: bleiben hier</translation>
    </message>
    <message numerus="yes">
        <location line="+2"/>
        <source>⇅ Records: %n waiting</source>
        <translation>
            <numerusform>⇅ Einträge: %n wartet</numerusform>
            <numerusform>⇅ Einträge: %n warten</numerusform>
        </translation>
    </message>
    <message>
        <location line="+2"/>
        <source>✓ Records: all delivered</source>
        <translation>✓ Einträge: alle zugestellt</translation>
    </message>
    <message>
        <location line="+3"/>
        <source> · storage low</source>
        <translation> · Speicher knapp</translation>
    </message>
</context>
<context>
    <name>InstructionMedia</name>
    <message>
        <location filename="../hmi/gui/instructions/media.py" line="+196"/>
        <source>The picture %1 cannot be read.</source>
        <translation>Das Bild %1 kann nicht gelesen werden.</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>Fit</source>
        <translation>Einpassen</translation>
    </message>
    <message>
        <location line="+58"/>
        <source>This build cannot show PDF pages: open %1 elsewhere.</source>
        <translation>Diese Version kann keine PDF-Seiten zeigen: %1 anderswo öffnen.</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>The document %1 cannot be read.</source>
        <translation>Das Dokument %1 kann nicht gelesen werden.</translation>
    </message>
    <message>
        <location line="+20"/>
        <source>Page %1 of %2</source>
        <translation>Seite %1 von %2</translation>
    </message>
    <message>
        <location line="+21"/>
        <location line="+63"/>
        <source>▶ Play</source>
        <translation>▶ Abspielen</translation>
    </message>
    <message>
        <location line="-60"/>
        <source>⟲ From the start</source>
        <translation>⟲ Von vorn</translation>
    </message>
    <message>
        <location line="+22"/>
        <source>This build cannot play videos: watch %1 elsewhere.</source>
        <translation>Diese Version kann keine Videos abspielen: %1 anderswo ansehen.</translation>
    </message>
    <message>
        <location line="+28"/>
        <source>The video cannot be played: %1</source>
        <translation>Das Video kann nicht abgespielt werden: %1</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>❚❚ Pause</source>
        <translation>❚❚ Pause</translation>
    </message>
</context>
<context>
    <name>InstructionSheet</name>
    <message>
        <location filename="../hmi/gui/instructions/page.py" line="+76"/>
        <source>☑ Done</source>
        <translation>☑ Erledigt</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>✓ Pass</source>
        <translation>✓ Gut</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>✕ Fail</source>
        <translation>✕ Schlecht</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>Captured from the live value when you confirm.</source>
        <translation>Wird beim Bestätigen aus dem Live-Wert übernommen.</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>Scan or type</source>
        <translation>Scannen oder eintippen</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>Reason for a value outside the limits</source>
        <translation>Grund für einen Wert außerhalb der Grenzen</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Reason, if it fails</source>
        <translation>Grund, falls nicht bestanden</translation>
    </message>
    <message>
        <location line="+44"/>
        <location line="+231"/>
        <source>Instructions — %1</source>
        <translation>Anweisungen — %1</translation>
    </message>
    <message>
        <location line="-182"/>
        <source>User</source>
        <translation>Benutzer</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Second user (if asked)</source>
        <translation>Zweite Person (falls verlangt)</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>PIN</source>
        <translation>PIN</translation>
    </message>
    <message>
        <location line="+37"/>
        <source>◀ Back</source>
        <translation>◀ Zurück</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Abandon…</source>
        <translation>Abbrechen…</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Close</source>
        <translation>Schließen</translation>
    </message>
    <message>
        <location line="+3"/>
        <location line="+188"/>
        <source>Confirm step ▶</source>
        <translation>Schritt bestätigen ▶</translation>
    </message>
    <message>
        <location line="-115"/>
        <source>Badge read ✓</source>
        <translation>Ausweis gelesen ✓</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Badge read: tap Confirm to sign with it.</source>
        <translation>Ausweis gelesen: zum Unterschreiben Bestätigen tippen.</translation>
    </message>
    <message>
        <location line="+59"/>
        <source>Tap the instruction to start:</source>
        <translation>Anweisung antippen, um zu beginnen:</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>No instruction for this station and product.</source>
        <translation>Keine Anweisung für diese Station und dieses Produkt.</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>steps · version %1</source>
        <translation>Schritte · Version %1</translation>
    </message>
    <message>
        <location line="+17"/>
        <source>This run&apos;s version is gone: abandon it.</source>
        <translation>Die Version dieses Durchlaufs gibt es nicht mehr: abbrechen.</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>Step %1 of %2</source>
        <translation>Schritt %1 von %2</translation>
    </message>
    <message>
        <location line="+113"/>
        <source>✓ Every step is confirmed.</source>
        <translation>✓ Alle Schritte sind bestätigt.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Finish ✓</source>
        <translation>Abschließen ✓</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>a second person</source>
        <translation>eine zweite Person</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>you</source>
        <translation>Sie</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Signature by %1: “%2”</source>
        <translation>Unterschrift durch %1: „%2“</translation>
    </message>
    <message>
        <location line="-334"/>
        <source>Why does the run stop here? Type it, then Abandon again.</source>
        <translation>Warum endet der Durchlauf hier? Eintippen, dann noch einmal Abbrechen.</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Reason</source>
        <translation>Grund</translation>
    </message>
    <message>
        <location line="+108"/>
        <source>Both signatures are given: tap Confirm.</source>
        <translation>Beide Unterschriften sind gegeben: Bestätigen tippen.</translation>
    </message>
    <message>
        <location line="+167"/>
        <source>Picture</source>
        <translation>Bild</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Document</source>
        <translation>Dokument</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Video</source>
        <translation>Video</translation>
    </message>
    <message>
        <location line="+54"/>
        <source>User and PIN, or hold a badge to the reader.</source>
        <translation>Benutzer und PIN, oder den Ausweis an den Leser halten.</translation>
    </message>
    <message>
        <location line="+72"/>
        <source>Saving…</source>
        <translation>Wird gespeichert…</translation>
    </message>
    <message>
        <location line="+16"/>
        <source>outside the limits: a lead signs below</source>
        <translation>außerhalb der Grenzen: ein Schichtleiter unterschreibt unten</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>out-of-limit value accepted</source>
        <translation>Wert außerhalb der Grenzen akzeptiert</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>✕ The sign-off is missing or not valid.</source>
        <translation>✕ Die Freigabe fehlt oder ist ungültig.</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>✕ Some entries need attention.</source>
        <translation>✕ Einige Eingaben brauchen Aufmerksamkeit.</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>✓ On record as no. %1.</source>
        <translation>✓ Gespeichert als Nr. %1.</translation>
    </message>
</context>
<context>
    <name>InterventionSheet</name>
    <message>
        <location filename="../hmi/gui/intervention.py" line="+41"/>
        <source>Note / intervention — %1</source>
        <translation>Notiz / Eingriff — %1</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>What did you do or see? It is saved with your name and the time.</source>
        <translation>Was haben Sie getan oder gesehen? Es wird mit Ihrem Namen und der Uhrzeit gespeichert.</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>For example: cleared a jam at the infeed</source>
        <translation>Zum Beispiel: Stau am Einlauf beseitigt</translation>
    </message>
    <message>
        <location line="+19"/>
        <location line="+76"/>
        <source>Cancel</source>
        <translation>Abbrechen</translation>
    </message>
    <message>
        <location line="-75"/>
        <source>Save</source>
        <translation>Speichern</translation>
    </message>
    <message>
        <location line="+32"/>
        <source>Saving…</source>
        <translation>Wird gespeichert…</translation>
    </message>
    <message>
        <location line="+15"/>
        <source>✓ Saved: %1 record no. %2.</source>
        <translation>✓ Gespeichert: %1 Eintrag Nr. %2.</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>✓ About %1 (tap: not about it)</source>
        <translation>✓ Zu %1 (antippen: nicht dazu)</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Not linked. Tap: about %1</source>
        <translation>Nicht verknüpft. Antippen: zu %1</translation>
    </message>
    <message>
        <location line="+15"/>
        <source>Close</source>
        <translation>Schließen</translation>
    </message>
</context>
<context>
    <name>JournalModel</name>
    <message>
        <location filename="../hmi/gui/alarms/journal_page.py" line="-497"/>
        <source>Time</source>
        <translation>Zeit</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Station</source>
        <translation>Station</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Priority</source>
        <translation>Priorität</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Event</source>
        <translation>Ereignis</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>State</source>
        <translation>Zustand</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Message</source>
        <translation>Meldung</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Value</source>
        <translation>Wert</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>User</source>
        <translation>Benutzer</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Text</source>
        <translation>Text</translation>
    </message>
    <message>
        <location line="+45"/>
        <source>until %1</source>
        <translation>bis %1</translation>
    </message>
</context>
<context>
    <name>Keypad</name>
    <message>
        <location filename="../hmi/gui/touch.py" line="+261"/>
        <source>Clear</source>
        <translation>Löschen</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Delete the last character</source>
        <translation>Letztes Zeichen löschen</translation>
    </message>
</context>
<context>
    <name>LanguageButton</name>
    <message>
        <location filename="../hmi/gui/i18n.py" line="+241"/>
        <source>Language</source>
        <translation>Sprache</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Language: %1</source>
        <translation>Sprache: %1</translation>
    </message>
</context>
<context>
    <name>LanguageSheet</name>
    <message>
        <location line="+14"/>
        <source>Language</source>
        <translation>Sprache</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Cancel</source>
        <translation>Abbrechen</translation>
    </message>
</context>
<context>
    <name>LinkSheet</name>
    <message>
        <location filename="../hmi/gui/link_sheet.py" line="+24"/>
        <source>Link</source>
        <translation>Verbindung</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Close</source>
        <translation>Schließen</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Link to %1</source>
        <translation>Verbindung zu %1</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>State: %1 since %2</source>
        <translation>Zustand: %1 seit %2</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Last error: %1</source>
        <translation>Letzter Fehler: %1</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Last rejected message: %1</source>
        <translation>Zuletzt abgewiesene Nachricht: %1</translation>
    </message>
</context>
<context>
    <name>LockBanner</name>
    <message>
        <location filename="../hmi/gui/session_control.py" line="+284"/>
        <source>Locked — tap to sign in</source>
        <translation>Gesperrt — zum Anmelden antippen</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Nobody signed in — tap to sign in</source>
        <translation>Niemand angemeldet — zum Anmelden antippen</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Live values keep updating; actions need a signed-in user.</source>
        <translation>Live-Werte laufen weiter; Aktionen brauchen einen angemeldeten Benutzer.</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <location filename="../hmi/gui/main_window.py" line="+148"/>
        <source>Floorline — %1</source>
        <translation>Floorline — %1</translation>
    </message>
    <message>
        <location line="+24"/>
        <source>Overview</source>
        <translation>Übersicht</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Trends</source>
        <translation>Trends</translation>
    </message>
    <message>
        <location line="+85"/>
        <source>Records</source>
        <translation>Einträge</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>Instructions…</source>
        <translation>Anweisungen…</translation>
    </message>
    <message>
        <location line="+26"/>
        <source>⚙ Setpoint…</source>
        <translation>⚙ Sollwert…</translation>
    </message>
    <message>
        <location line="+21"/>
        <source>Journal</source>
        <translation>Journal</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>KPIs</source>
        <translation>Kennzahlen</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Alarms</source>
        <translation>Alarme</translation>
    </message>
    <message>
        <location line="+268"/>
        <source>All stations</source>
        <translation>Alle Stationen</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Alarm journal</source>
        <translation>Alarmjournal</translation>
    </message>
</context>
<context>
    <name>Priority</name>
    <message>
        <location filename="../hmi/gui/alarms/look.py" line="-35"/>
        <source>Low</source>
        <translation>Niedrig</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Medium</source>
        <translation>Mittel</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>High</source>
        <translation>Hoch</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Critical</source>
        <translation>Kritisch</translation>
    </message>
</context>
<context>
    <name>PriorityBars</name>
    <message>
        <location filename="../hmi/gui/alarms/kpi_page.py" line="-399"/>
        <source>counts with High</source>
        <translation>zählt mit Hoch</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>target ~%1 %</source>
        <translation>Ziel ~%1 %</translation>
    </message>
</context>
<context>
    <name>Quality</name>
    <message>
        <location filename="../hmi/gui/theme.py" line="+62"/>
        <source>Good</source>
        <translation>Gut</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Uncertain</source>
        <translation>Unsicher</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Bad</source>
        <translation>Schlecht</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Stale</source>
        <translation>Veraltet</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>No connection</source>
        <translation>Keine Verbindung</translation>
    </message>
</context>
<context>
    <name>QuarantineModel</name>
    <message>
        <location filename="../hmi/gui/sync_page.py" line="-214"/>
        <source>Station</source>
        <translation>Station</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>No.</source>
        <translation>Nr.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Kind</source>
        <translation>Art</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Time</source>
        <translation>Zeit</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>User</source>
        <translation>Benutzer</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Tries</source>
        <translation>Versuche</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Refused because</source>
        <translation>Abgelehnt, weil</translation>
    </message>
</context>
<context>
    <name>ReasonPicker</name>
    <message>
        <location filename="../hmi/gui/downtime/picker.py" line="+62"/>
        <source>%1 min %2 s</source>
        <translation>%1 min %2 s</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>%1 h %2 min</source>
        <translation>%1 h %2 min</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>%1 %2 since %3 · %4</source>
        <translation>%1 %2 seit %3 · %4</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>%1 %2 · from %3 · %4</source>
        <translation>%1 %2 · ab %3 · %4</translation>
    </message>
    <message>
        <location line="+6"/>
        <source> · opened by hand</source>
        <translation> · von Hand geöffnet</translation>
    </message>
    <message>
        <location line="+155"/>
        <source>Most used at %1</source>
        <translation>Am häufigsten an %1</translation>
    </message>
    <message>
        <location line="+19"/>
        <source>Search all reasons…</source>
        <translation>Alle Gründe durchsuchen…</translation>
    </message>
    <message>
        <location line="+27"/>
        <source>Comment (optional)</source>
        <translation>Kommentar (freiwillig)</translation>
    </message>
    <message>
        <location line="+9"/>
        <location line="+246"/>
        <source>Cancel</source>
        <translation>Abbrechen</translation>
    </message>
    <message>
        <location line="-240"/>
        <location line="+234"/>
        <source>Save</source>
        <translation>Speichern</translation>
    </message>
    <message>
        <location line="-206"/>
        <source>Change the reason — %1</source>
        <translation>Grund ändern — %1</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Why did %1 stop?</source>
        <translation>Warum stand %1 still?</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Stop by hand — %1</source>
        <translation>Stillstand von Hand — %1</translation>
    </message>
    <message>
        <location line="+24"/>
        <source>Starts now, at %1. End it with End stop on the station page.</source>
        <translation>Beginnt jetzt, um %1. Beenden mit „Stillstand beenden“ auf der Stationsseite.</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>◻ planned</source>
        <translation>◻ geplant</translation>
    </message>
    <message>
        <location line="+28"/>
        <source>‹ All reasons</source>
        <translation>‹ Alle Gründe</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>clear the search</source>
        <translation>Suche löschen</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>%n reasons match</source>
        <translation>Passende Gründe: %n</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>‹ Back</source>
        <translation>‹ Zurück</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>All reasons</source>
        <translation>Alle Gründe</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>%n reasons ›</source>
        <translation>Gründe: %n ›</translation>
    </message>
    <message>
        <location line="+25"/>
        <source>Saving…</source>
        <translation>Wird gespeichert…</translation>
    </message>
    <message>
        <location line="+16"/>
        <source>no reason yet</source>
        <translation>noch kein Grund</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>✓ Saved: the stop started, %1.</source>
        <translation>✓ Gespeichert: Stillstand begonnen, %1.</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>✓ Saved: %1 for the stop from %2.</source>
        <translation>✓ Gespeichert: %1 für den Stillstand ab %2.</translation>
    </message>
    <message>
        <location line="+32"/>
        <source>No reason chosen</source>
        <translation>Kein Grund gewählt</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>A reason can follow later</source>
        <translation>Der Grund kann später folgen</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Start the stop</source>
        <translation>Stillstand beginnen</translation>
    </message>
    <message>
        <location line="+6"/>
        <location line="+52"/>
        <source>Close</source>
        <translation>Schließen</translation>
    </message>
    <message>
        <location line="-22"/>
        <source>Stops waiting for a reason</source>
        <translation>Stillstände ohne Grund</translation>
    </message>
    <message>
        <location line="+47"/>
        <source>✓ No stop is waiting for a reason.</source>
        <translation>✓ Kein Stillstand wartet auf einen Grund.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Waiting, oldest first: tap one to give its reason</source>
        <translation>Offen, älteste zuerst: antippen, um den Grund anzugeben</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>… and %1 more</source>
        <translation>… und %1 weitere</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Given this shift: tap one to change its reason (leads)</source>
        <translation>In dieser Schicht angegeben: antippen, um den Grund zu ändern (Schichtleiter)</translation>
    </message>
</context>
<context>
    <name>Role</name>
    <message>
        <location filename="../hmi/gui/session_control.py" line="-39"/>
        <source>Operator</source>
        <translation>Bediener</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Lead</source>
        <translation>Schichtleiter</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Maintenance</source>
        <translation>Instandhaltung</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Engineer</source>
        <translation>Ingenieur</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Admin</source>
        <translation>Admin</translation>
    </message>
</context>
<context>
    <name>ScreenKeyboard</name>
    <message>
        <location filename="../hmi/gui/keyboard.py" line="+75"/>
        <source>Space</source>
        <translation>Leertaste</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Enter ↵</source>
        <translation>Enter ↵</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>▾ Hide</source>
        <translation>▾ Ausblenden</translation>
    </message>
</context>
<context>
    <name>ServiceTasks</name>
    <message>
        <location filename="../hmi/gui/tasks.py" line="+181"/>
        <source>Not done: an internal error (details in the log).</source>
        <translation>Nicht ausgeführt: interner Fehler (Details im Protokoll).</translation>
    </message>
</context>
<context>
    <name>SessionIndicator</name>
    <message>
        <location filename="../hmi/gui/session_control.py" line="+67"/>
        <source>Lock</source>
        <translation>Sperren</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Sign out</source>
        <translation>Abmelden</translation>
    </message>
    <message>
        <location line="+21"/>
        <source>Not signed in</source>
        <translation>Nicht angemeldet</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Locked: %1</source>
        <translation>Gesperrt: %1</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>%1 · %2</source>
        <translation>%1 · %2</translation>
    </message>
    <message numerus="yes">
        <location line="+4"/>
        <source>Locks in %n s</source>
        <translation>
            <numerusform>Sperrt in %n s</numerusform>
            <numerusform>Sperrt in %n s</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>ShiftSheet</name>
    <message>
        <location filename="../hmi/gui/downtime/shift_sheet.py" line="+61"/>
        <source>OEE %1  ·  A %2  P %3  Q %4</source>
        <translation>OEE %1  ·  V %2  L %3  Q %4</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Good %1 · reject %2 · down %3 min</source>
        <translation>Gut %1 · Ausschuss %2 · Stillstand %3 min</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Order %1: OEE %2, good %3</source>
        <translation>Auftrag %1: OEE %2, gut %3</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Stops %1 · waiting for a reason %2 · alarms %3</source>
        <translation>Stillstände %1 · ohne Grund %2 · Alarme %3</translation>
    </message>
    <message>
        <location line="+29"/>
        <source>Shift — %1</source>
        <translation>Schicht — %1</translation>
    </message>
    <message>
        <location line="+25"/>
        <source>Close</source>
        <translation>Schließen</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>Stops this shift, oldest first: tap one to correct it (leads)</source>
        <translation>Stillstände dieser Schicht, älteste zuerst: antippen zum Korrigieren (Schichtleiter)</translation>
    </message>
    <message>
        <location line="+24"/>
        <source>Change reason…</source>
        <translation>Grund ändern…</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Split…</source>
        <translation>Teilen…</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Merge with next</source>
        <translation>Mit nächstem zusammenfassen</translation>
    </message>
    <message>
        <location line="+31"/>
        <source>Split here</source>
        <translation>Hier teilen</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>Summary</source>
        <translation>Zusammenfassung</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Loading…</source>
        <translation>Wird geladen…</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Export HTML (leads)</source>
        <translation>HTML exportieren (Schichtleiter)</translation>
    </message>
    <message>
        <location line="+39"/>
        <source>Shift %1, %2–%3</source>
        <translation>Schicht %1, %2–%3</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>The last 8 hours, %2–%3</source>
        <translation>Die letzten 8 Stunden, %2–%3</translation>
    </message>
    <message>
        <location line="+21"/>
        <source>no reason yet</source>
        <translation>noch kein Grund</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>No stop this shift.</source>
        <translation>Kein Stillstand in dieser Schicht.</translation>
    </message>
    <message>
        <location line="+49"/>
        <source>Split at %1: %2 before, %3 after</source>
        <translation>Teilen um %1: %2 davor, %3 danach</translation>
    </message>
    <message>
        <location line="+16"/>
        <source>✓ Split: two stops, each with the reason it had.</source>
        <translation>✓ Geteilt: zwei Stillstände, jeder mit seinem bisherigen Grund.</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>✓ Merged into one stop.</source>
        <translation>✓ Zu einem Stillstand zusammengefasst.</translation>
    </message>
    <message>
        <location line="+5"/>
        <location line="+153"/>
        <source>Saving…</source>
        <translation>Wird gespeichert…</translation>
    </message>
    <message>
        <location line="-135"/>
        <source>Exporting…</source>
        <translation>Export läuft…</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>✓ Exported to %1</source>
        <translation>✓ Exportiert nach %1</translation>
    </message>
    <message>
        <location line="+37"/>
        <source>What is %1 making?</source>
        <translation>Was fertigt %1?</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>Type or scan. What you enter wins over the line&apos;s own values.</source>
        <translation>Eintippen oder scannen. Ihre Eingabe gilt vor den Werten der Linie.</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>Order</source>
        <translation>Auftrag</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Product</source>
        <translation>Produkt</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Batch</source>
        <translation>Charge</translation>
    </message>
    <message>
        <location line="+19"/>
        <source>Back</source>
        <translation>Zurück</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Use the line&apos;s values</source>
        <translation>Werte der Linie verwenden</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Save</source>
        <translation>Speichern</translation>
    </message>
</context>
<context>
    <name>SignInSheet</name>
    <message>
        <location filename="../hmi/gui/sign_in.py" line="+70"/>
        <location line="+54"/>
        <location line="+56"/>
        <source>Sign in</source>
        <translation>Anmelden</translation>
    </message>
    <message>
        <location line="-104"/>
        <source>Cancel</source>
        <translation>Abbrechen</translation>
    </message>
    <message>
        <location line="+23"/>
        <source>Or hold your badge to the reader.</source>
        <translation>Oder den Ausweis an das Lesegerät halten.</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>user id</source>
        <translation>Benutzerkennung</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>User</source>
        <translation>Benutzer</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>PIN</source>
        <translation>PIN</translation>
    </message>
    <message>
        <location line="+14"/>
        <source>Tap your name</source>
        <translation>Ihren Namen antippen</translation>
    </message>
    <message>
        <location line="+35"/>
        <source>Unlock or take over</source>
        <translation>Entsperren oder übernehmen</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Locked: %1. Type the PIN to unlock, or tap another name to take over.</source>
        <translation>Gesperrt: %1. PIN eingeben zum Entsperren, oder einen anderen Namen antippen zum Übernehmen.</translation>
    </message>
    <message>
        <location line="+54"/>
        <source>Tap your name or type your user id.</source>
        <translation>Ihren Namen antippen oder Ihre Benutzerkennung eingeben.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Type your PIN on the keypad.</source>
        <translation>PIN auf der Tastatur eingeben.</translation>
    </message>
    <message>
        <location line="+21"/>
        <source>Sign-in refused. Check your user and PIN, or ask your lead.</source>
        <translation>Anmeldung abgelehnt. Benutzer und PIN prüfen oder den Schichtleiter fragen.</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>Checking…</source>
        <translation>Wird geprüft…</translation>
    </message>
</context>
<context>
    <name>SourceLabel</name>
    <message>
        <location filename="../hmi/gui/status_bar.py" line="-88"/>
        <source>connected</source>
        <translation>verbunden</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>connecting</source>
        <translation>verbindet</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>no connection</source>
        <translation>keine Verbindung</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>stopped</source>
        <translation>gestoppt</translation>
    </message>
    <message numerus="yes">
        <location line="+5"/>
        <source>, retry in %n s</source>
        <translation>
            <numerusform>, neuer Versuch in %n s</numerusform>
            <numerusform>, neuer Versuch in %n s</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location line="+2"/>
        <source> · %n rejected</source>
        <translation>
            <numerusform> · %n abgelehnt</numerusform>
            <numerusform> · %n abgelehnt</numerusform>
        </translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Since: %1</source>
        <translation>Seit: %1</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Last error: %1</source>
        <translation>Letzter Fehler: %1</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Last rejected: %1</source>
        <translation>Zuletzt abgelehnt: %1</translation>
    </message>
</context>
<context>
    <name>State</name>
    <message>
        <location filename="../hmi/gui/theme.py" line="+7"/>
        <source>Running</source>
        <translation>Läuft</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Idle</source>
        <translation>Leerlauf</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Stopped</source>
        <translation>Gestoppt</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Faulted</source>
        <translation>Störung</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Starved</source>
        <translation>Materialmangel</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Blocked</source>
        <translation>Rückstau</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Planned stop</source>
        <translation>Geplanter Stopp</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Changeover</source>
        <translation>Umrüsten</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Unknown</source>
        <translation>Unbekannt</translation>
    </message>
</context>
<context>
    <name>StateBadge</name>
    <message>
        <location filename="../hmi/gui/widgets.py" line="+55"/>
        <source>The machine state is not known: %1</source>
        <translation>Der Maschinenzustand ist nicht bekannt: %1</translation>
    </message>
</context>
<context>
    <name>StationActions</name>
    <message>
        <location filename="../hmi/gui/intervention.py" line="+29"/>
        <source>✎ Note…</source>
        <translation>✎ Notiz…</translation>
    </message>
    <message>
        <location line="+15"/>
        <source>Last note: no. %1 at %2, saved.</source>
        <translation>Letzte Notiz: Nr. %1 um %2, gespeichert.</translation>
    </message>
</context>
<context>
    <name>StationPage</name>
    <message>
        <location filename="../hmi/gui/pages.py" line="+169"/>
        <source>Tap a value to see its trend</source>
        <translation>Einen Wert antippen, um seinen Trend zu sehen</translation>
    </message>
</context>
<context>
    <name>Subject</name>
    <message>
        <location filename="../hmi/gui/about.py" line="+45"/>
        <source>the stop since %1</source>
        <translation>den Stillstand seit %1</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>alarm: %1</source>
        <translation>Alarm: %1</translation>
    </message>
</context>
<context>
    <name>SyncPage</name>
    <message>
        <location filename="../hmi/gui/sync_page.py" line="-31"/>
        <source>no upstream configured: records stay here</source>
        <translation>kein Ziel eingerichtet: Einträge bleiben hier</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>connecting</source>
        <translation>verbindet</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>connected</source>
        <translation>verbunden</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>not reachable, retrying</source>
        <translation>nicht erreichbar, neuer Versuch</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>stopped</source>
        <translation>gestoppt</translation>
    </message>
    <message>
        <location line="+57"/>
        <source>Records to the MES</source>
        <translation>Einträge an das MES</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>Quarantined: refused by the MES, kept here</source>
        <translation>Quarantäne: vom MES abgelehnt, hier aufbewahrt</translation>
    </message>
    <message>
        <location line="+28"/>
        <source>Upstream</source>
        <translation>Ziel</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Link</source>
        <translation>Verbindung</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Waiting to be sent</source>
        <translation>Warten auf Versand</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Sent, waiting for receipt</source>
        <translation>Gesendet, warten auf Bestätigung</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Delivered</source>
        <translation>Zugestellt</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Quarantined</source>
        <translation>In Quarantäne</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Oldest waiting</source>
        <translation>Ältester wartend</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Last error</source>
        <translation>Letzter Fehler</translation>
    </message>
    <message>
        <location line="+16"/>
        <source>Retry selected</source>
        <translation>Gewählte erneut senden</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Export selected</source>
        <translation>Gewählte exportieren</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Discard selected…</source>
        <translation>Gewählte verwerfen…</translation>
    </message>
    <message numerus="yes">
        <location line="+50"/>
        <source>%n record(s) back in the queue.</source>
        <translation>
            <numerusform>%n Eintrag wieder in der Warteschlange.</numerusform>
            <numerusform>%n Einträge wieder in der Warteschlange.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location line="+11"/>
        <source>%n record(s) written to %1.</source>
        <translation>
            <numerusform>%n Eintrag nach %1 geschrieben.</numerusform>
            <numerusform>%n Einträge nach %1 geschrieben.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location line="+11"/>
        <source>%n record(s) discarded (kept in the cache, not sent).</source>
        <translation>
            <numerusform>%n Eintrag verworfen (im Speicher behalten, nicht gesendet).</numerusform>
            <numerusform>%n Einträge verworfen (im Speicher behalten, nicht gesendet).</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>TagPicker</name>
    <message>
        <location filename="../hmi/gui/trend/page.py" line="+45"/>
        <source>Pens of the ad-hoc trend</source>
        <translation>Kurven des freien Trends</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Done</source>
        <translation>Fertig</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>Other tags</source>
        <translation>Weitere Variablen</translation>
    </message>
    <message>
        <location line="+29"/>
        <source>At most %1 pens.</source>
        <translation>Höchstens %1 Kurven.</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>The trend is full: remove a pen first.</source>
        <translation>Der Trend ist voll: zuerst eine Kurve entfernen.</translation>
    </message>
</context>
<context>
    <name>TagTableModel</name>
    <message>
        <location filename="../hmi/gui/tag_model.py" line="+62"/>
        <source>Tag</source>
        <translation>Variable</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Value</source>
        <translation>Wert</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Unit</source>
        <translation>Einheit</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Quality</source>
        <translation>Qualität</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Age</source>
        <translation>Alter</translation>
    </message>
</context>
<context>
    <name>Tasks</name>
    <message>
        <location filename="../hmi/gui/tasks.py" line="-126"/>
        <source>Refused: the screen is locked or nobody is signed in. Sign in, then try again.</source>
        <translation>Abgelehnt: Der Bildschirm ist gesperrt oder niemand ist angemeldet. Anmelden, dann erneut versuchen.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Refused: your role may not do this. Ask your lead.</source>
        <translation>Abgelehnt: Ihre Rolle darf das nicht. Den Schichtleiter fragen.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Not saved: %1</source>
        <translation>Nicht gespeichert: %1</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Not done: %1</source>
        <translation>Nicht ausgeführt: %1</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Not signed: the PIN did not match.</source>
        <translation>Nicht unterschrieben: Die PIN stimmt nicht.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Not done: the runtime is not running.</source>
        <translation>Nicht ausgeführt: Die Laufzeit läuft nicht.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Not done: the call was cancelled.</source>
        <translation>Nicht ausgeführt: Der Aufruf wurde abgebrochen.</translation>
    </message>
</context>
<context>
    <name>TrendView</name>
    <message>
        <location filename="../hmi/gui/trend/view.py" line="+236"/>
        <source>Earlier by one window</source>
        <translation>Ein Fenster früher</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Later by one window</source>
        <translation>Ein Fenster später</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Go to</source>
        <translation>Gehe zu</translation>
    </message>
    <message>
        <location line="+4"/>
        <location line="+262"/>
        <source>● Live</source>
        <translation>● Live</translation>
    </message>
    <message>
        <location line="-258"/>
        <source>CSV</source>
        <translation>CSV</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Export the visible range as CSV</source>
        <translation>Den sichtbaren Bereich als CSV exportieren</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>PNG</source>
        <translation>PNG</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Save a picture of the trend</source>
        <translation>Ein Bild des Trends speichern</translation>
    </message>
    <message>
        <location line="+33"/>
        <source>▶ Back to live</source>
        <translation>▶ Zurück zu Live</translation>
    </message>
    <message>
        <location line="+82"/>
        <source>(no unit)</source>
        <translation>(ohne Einheit)</translation>
    </message>
    <message>
        <location line="+57"/>
        <source>Remove %1 from the trend</source>
        <translation>%1 aus dem Trend entfernen</translation>
    </message>
    <message>
        <location line="+82"/>
        <source>Paused</source>
        <translation>Angehalten</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>⏸ PAUSED: the view stands still, recording goes on. Showing %1 to %2</source>
        <translation>⏸ ANGEHALTEN: Die Ansicht steht, die Aufzeichnung läuft weiter. Gezeigt: %1 bis %2</translation>
    </message>
    <message>
        <location line="+169"/>
        <source>History could not be read: %1</source>
        <translation>Verlauf konnte nicht gelesen werden: %1</translation>
    </message>
    <message>
        <location line="+118"/>
        <source>Nothing to export</source>
        <translation>Nichts zu exportieren</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Exporting to %1 …</source>
        <translation>Export nach %1 …</translation>
    </message>
    <message>
        <location line="+10"/>
        <location line="+17"/>
        <location line="+3"/>
        <source>Export failed: %1</source>
        <translation>Export fehlgeschlagen: %1</translation>
    </message>
    <message>
        <location line="-17"/>
        <source>Saved %1 rows to %2</source>
        <translation>%1 Zeilen in %2 gespeichert</translation>
    </message>
    <message>
        <location line="+19"/>
        <source>Saved the picture to %1</source>
        <translation>Bild in %1 gespeichert</translation>
    </message>
    <message>
        <location line="+38"/>
        <source>◐ uncertain</source>
        <translation>◐ unsicher</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>✕ bad</source>
        <translation>✕ schlecht</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>◷ stale</source>
        <translation>◷ veraltet</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>⊘ no connection</source>
        <translation>⊘ keine Verbindung</translation>
    </message>
</context>
<context>
    <name>TrendsPage</name>
    <message>
        <location filename="../hmi/gui/trend/page.py" line="+34"/>
        <source>Ad-hoc</source>
        <translation>Frei</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>+ Pens…</source>
        <translation>+ Kurven…</translation>
    </message>
</context>
<context>
    <name>Value</name>
    <message>
        <location filename="../hmi/gui/text.py" line="-26"/>
        <source>On</source>
        <translation>Ein</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Off</source>
        <translation>Aus</translation>
    </message>
</context>
<context>
    <name>WriteSheet</name>
    <message>
        <location filename="../hmi/gui/write_sheet.py" line="+34"/>
        <location line="+63"/>
        <source>On</source>
        <translation>Ein</translation>
    </message>
    <message>
        <location line="-61"/>
        <location line="+64"/>
        <source>Off</source>
        <translation>Aus</translation>
    </message>
    <message>
        <location line="-9"/>
        <source>Why? (required, on record)</source>
        <translation>Warum? (Pflicht, wird gespeichert)</translation>
    </message>
    <message>
        <location line="+24"/>
        <location line="+219"/>
        <source>Cancel</source>
        <translation>Abbrechen</translation>
    </message>
    <message>
        <location line="-216"/>
        <source>Review…</source>
        <translation>Prüfen…</translation>
    </message>
    <message>
        <location line="+47"/>
        <source>Back</source>
        <translation>Zurück</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Write to the plant</source>
        <translation>In die Anlage schreiben</translation>
    </message>
    <message>
        <location line="+22"/>
        <source>Change %1</source>
        <translation>%1 ändern</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Now: %1</source>
        <translation>Jetzt: %1</translation>
    </message>
    <message>
        <location line="+16"/>
        <source>Allowed: %1 … %2</source>
        <translation>Erlaubt: %1 … %2</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>At most %1 in one step</source>
        <translation>Höchstens %1 in einem Schritt</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>For %1</source>
        <translation>Für %1</translation>
    </message>
    <message>
        <location line="+32"/>
        <source>Give a reason.</source>
        <translation>Einen Grund angeben.</translation>
    </message>
    <message>
        <location line="+14"/>
        <source>Reason: %1</source>
        <translation>Grund: %1</translation>
    </message>
    <message>
        <location line="+14"/>
        <source>Writing…</source>
        <translation>Wird geschrieben…</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>✓ Written: the plant shows %1.</source>
        <translation>✓ Geschrieben: Die Anlage zeigt %1.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>✕ Sent, but the plant shows %1, not %2. Check at the machine.</source>
        <translation>✕ Gesendet, aber die Anlage zeigt %1, nicht %2. An der Maschine prüfen.</translation>
    </message>
    <message>
        <location line="+28"/>
        <source>Change a setpoint — %1</source>
        <translation>Sollwert ändern — %1</translation>
    </message>
</context>
</TS>
