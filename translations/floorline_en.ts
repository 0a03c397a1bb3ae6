<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en" sourcelanguage="en">
<context>
    <name>DiscardSheet</name>
    <message numerus="yes">
        <location filename="../hmi/gui/sync_page.py" line="+292"/>
        <source>%n record(s) will not be sent to the MES. They stay in the cache and in the audit trail. Needs the engineer or admin role.</source>
        <translation>
            <numerusform>%n record will not be sent to the MES. It stays in the cache and in the audit trail. Needs the engineer or admin role.</numerusform>
            <numerusform>%n records will not be sent to the MES. They stay in the cache and in the audit trail. Needs the engineer or admin role.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>HmiStatusBar</name>
    <message numerus="yes">
        <location filename="../hmi/gui/status_bar.py" line="+142"/>
        <source>⚠ Records: %n quarantined</source>
        <translation>
            <numerusform>⚠ Records: %n quarantined</numerusform>
            <numerusform>⚠ Records: %n quarantined</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location line="+2"/>
        <source>⊘ Records: %n waiting, MES not reachable</source>
        <translation>
            <numerusform>⊘ Records: %n waiting, MES not reachable</numerusform>
            <numerusform>⊘ Records: %n waiting, MES not reachable</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location line="+4"/>
        <source>⇅ Records: %n waiting</source>
        <translation>
            <numerusform>⇅ Records: %n waiting</numerusform>
            <numerusform>⇅ Records: %n waiting</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>SessionIndicator</name>
    <message numerus="yes">
        <location filename="../hmi/gui/session_control.py" line="+354"/>
        <source>Locks in %n s</source>
        <translation>
            <numerusform>Locks in %n s</numerusform>
            <numerusform>Locks in %n s</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>SourceLabel</name>
    <message numerus="yes">
        <location filename="../hmi/gui/status_bar.py" line="-75"/>
        <source>, retry in %n s</source>
        <translation>
            <numerusform>, retry in %n s</numerusform>
            <numerusform>, retry in %n s</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location line="+2"/>
        <source> · %n rejected</source>
        <translation>
            <numerusform> · %n rejected</numerusform>
            <numerusform> · %n rejected</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>SyncPage</name>
    <message numerus="yes">
        <location filename="../hmi/gui/sync_page.py" line="-61"/>
        <source>%n record(s) back in the queue.</source>
        <translation>
            <numerusform>%n record back in the queue.</numerusform>
            <numerusform>%n records back in the queue.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location line="+11"/>
        <source>%n record(s) written to %1.</source>
        <translation>
            <numerusform>%n record written to %1.</numerusform>
            <numerusform>%n records written to %1.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location line="+11"/>
        <source>%n record(s) discarded (kept in the cache, not sent).</source>
        <translation>
            <numerusform>%n record discarded (kept in the cache, not sent).</numerusform>
            <numerusform>%n records discarded (kept in the cache, not sent).</numerusform>
        </translation>
    </message>
</context>
</TS>
