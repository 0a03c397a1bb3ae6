<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="es" sourcelanguage="en">
<context>
    <name>Age</name>
    <message>
        <location filename="../hmi/gui/text.py" line="+34"/>
        <source>now</source>
        <translation>ahora</translation>
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
        <translation>Silenciar</translation>
    </message>
    <message>
        <location line="-6"/>
        <source>Unacknowledged %1 · Active %2 · Hidden %3</source>
        <translation>Sin reconocer %1 · Activas %2 · Ocultas %3</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Silent</source>
        <translation>Sin sonido</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>No unacknowledged alarms</source>
        <translation>No hay alarmas sin reconocer</translation>
    </message>
</context>
<context>
    <name>AlarmEvent</name>
    <message>
        <location filename="../hmi/gui/alarms/look.py" line="+58"/>
        <source>Active</source>
        <translation>Activa</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Cleared</source>
        <translation>Desaparecida</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Acknowledged</source>
        <translation>Reconocida</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Confirmed</source>
        <translation>Confirmada</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Comment</source>
        <translation>Comentario</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Shelved</source>
        <translation>Pospuesta</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Unshelved</source>
        <translation>Ya no pospuesta</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Suppressed</source>
        <translation>Suprimida</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Unsuppressed</source>
        <translation>Ya no suprimida</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Out of service</source>
        <translation>Fuera de servicio</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Back in service</source>
        <translation>De nuevo en servicio</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Removed by the server</source>
        <translation>Eliminada por el servidor</translation>
    </message>
</context>
<context>
    <name>AlarmJournalPage</name>
    <message>
        <location filename="../hmi/gui/alarms/journal_page.py" line="+278"/>
        <source>Alarm journal</source>
        <translation>Registro de alarmas</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Last</source>
        <translation>Últimas</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>1 h</source>
        <translation>1 h</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>8 h (shift)</source>
        <translation>8 h (turno)</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>24 h</source>
        <translation>24 h</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>7 days</source>
        <translation>7 días</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>From</source>
        <translation>Desde</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>to</source>
        <translation>hasta</translation>
    </message>
    <message>
        <location line="+18"/>
        <source>All stations</source>
        <translation>Todas las estaciones</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>Show or hide this priority</source>
        <translation>Mostrar u ocultar esta prioridad</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>All events</source>
        <translation>Todos los eventos</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Activations only</source>
        <translation>Solo activaciones</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Operator actions only</source>
        <translation>Solo acciones del operador</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Message, alarm or user</source>
        <translation>Mensaje, alarma o usuario</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Search</source>
        <translation>Buscar</translation>
    </message>
    <message>
        <location line="+67"/>
        <source>Export CSV…</source>
        <translation>Exportar CSV…</translation>
    </message>
    <message>
        <location line="+57"/>
        <source>The window must end after it starts.</source>
        <translation>El final debe ser posterior al inicio.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Choose at least one priority.</source>
        <translation>Elija al menos una prioridad.</translation>
    </message>
    <message>
        <location line="+24"/>
        <source>Searching…</source>
        <translation>Buscando…</translation>
    </message>
    <message>
        <location line="+23"/>
        <source>Showing the newest %1 lines of the window: narrow the window or the filters to see the earlier ones.</source>
        <translation>Se muestran las %1 líneas más recientes: acote el periodo o los filtros para ver las anteriores.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>No lines match.</source>
        <translation>Ninguna línea coincide.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>%1 line(s)</source>
        <translation>%1 línea(s)</translation>
    </message>
    <message>
        <location line="+17"/>
        <source>Export the alarm journal</source>
        <translation>Exportar el registro de alarmas</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>CSV (*.csv)</source>
        <translation>CSV (*.csv)</translation>
    </message>
    <message>
        <location line="+19"/>
        <source>Nothing to export: search first.</source>
        <translation>Nada que exportar: busque primero.</translation>
    </message>
    <message>
        <location line="+31"/>
        <source>Exporting to %1 …</source>
        <translation>Exportando a %1 …</translation>
    </message>
    <message>
        <location line="+18"/>
        <source>Export failed: %1</source>
        <translation>Error al exportar: %1</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Export failed: an internal error (details in the log).</source>
        <translation>Error al exportar: error interno (detalles en el registro).</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Saved %1 rows to %2</source>
        <translation>%1 filas guardadas en %2</translation>
    </message>
</context>
<context>
    <name>AlarmKpiPage</name>
    <message>
        <location filename="../hmi/gui/alarms/kpi_page.py" line="+283"/>
        <source>Alarm performance</source>
        <translation>Rendimiento de alarmas</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>All stations</source>
        <translation>Todas las estaciones</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Last 24 h</source>
        <translation>Últimas 24 h</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Last 7 days</source>
        <translation>Últimos 7 días</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Last 30 days</source>
        <translation>Últimos 30 días</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Refresh</source>
        <translation>Actualizar</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>acceptable ≤ %1
manageable ≤ %2</source>
        <translation>aceptable ≤ %1
manejable ≤ %2</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Alarms per 10 min</source>
        <translation>Alarmas por 10 min</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Alarms per hour</source>
        <translation>Alarmas por hora</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Alarm load</source>
        <translation>Carga de alarmas</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>the average rate against
the ISA-18.2 targets</source>
        <translation>tasa media frente a
los objetivos de ISA-18.2</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Peak in 10 min</source>
        <translation>Pico en 10 min</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>a flood starts
above %1</source>
        <translation>una avalancha empieza
por encima de %1</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Floods</source>
        <translation>Avalanchas</translation>
    </message>
    <message>
        <location line="+26"/>
        <source>Start</source>
        <translation>Inicio</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Length</source>
        <translation>Duración</translation>
    </message>
    <message>
        <location line="+0"/>
        <location line="+6"/>
        <source>Count</source>
        <translation>Cantidad</translation>
    </message>
    <message>
        <location line="-6"/>
        <source>Peak</source>
        <translation>Pico</translation>
    </message>
    <message>
        <location line="+3"/>
        <location line="+1"/>
        <source>Alarm</source>
        <translation>Alarma</translation>
    </message>
    <message>
        <location line="-1"/>
        <location line="+1"/>
        <location line="+2"/>
        <source>Message</source>
        <translation>Mensaje</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Share</source>
        <translation>Parte</translation>
    </message>
    <message>
        <location line="+96"/>
        <source>Reading the alarm journal…</source>
        <translation>Leyendo el registro de alarmas…</translation>
    </message>
    <message>
        <location line="+31"/>
        <source>%1 to %2 · %3 · %4 annunciated alarms · read at %5</source>
        <translation>%1 a %2 · %3 · %4 alarmas anunciadas · leído a las %5</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>all stations</source>
        <translation>todas las estaciones</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>%1 of the time in flood
(target &lt; %2 %)</source>
        <translation>%1 del tiempo en avalancha
(objetivo &lt; %2 %)</translation>
    </message>
    <message>
        <location line="+24"/>
        <source>Floods: %1</source>
        <translation>Avalanchas: %1</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Chattering: %1 (target 0)</source>
        <translation>Intermitentes: %1 (objetivo 0)</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Standing &gt; 24 h: %1 (target &lt; %2)</source>
        <translation>Permanentes &gt; 24 h: %1 (objetivo &lt; %2)</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Top 10 bad actors: %1 of all alarms</source>
        <translation>10 alarmas más frecuentes: %1 del total</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Priority of the annunciated alarms</source>
        <translation>Prioridad de las alarmas anunciadas</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>met</source>
        <translation>cumplido</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>not met</source>
        <translation>no cumplido</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Acceptable</source>
        <translation>Aceptable</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Manageable</source>
        <translation>Manejable</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Overloaded</source>
        <translation>Sobrecargado</translation>
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
        <translation>Sin reconocer</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Acknowledged</source>
        <translation>Reconocida</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Cleared, unacknowledged</source>
        <translation>Desaparecida, sin reconocer</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Shelved</source>
        <translation>Pospuesta</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Suppressed by design</source>
        <translation>Suprimida por diseño</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Out of service</source>
        <translation>Fuera de servicio</translation>
    </message>
</context>
<context>
    <name>AlarmTableModel</name>
    <message>
        <location filename="../hmi/gui/alarms/model.py" line="+83"/>
        <source>Priority</source>
        <translation>Prioridad</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Time</source>
        <translation>Hora</translation>
    </message>
    <message>
        <location line="+1"/>
        <location filename="../hmi/gui/alarms/page.py" line="+274"/>
        <source>Station</source>
        <translation>Estación</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Alarm</source>
        <translation>Alarma</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Value</source>
        <translation>Valor</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>State</source>
        <translation>Estado</translation>
    </message>
    <message>
        <location line="+151"/>
        <source> (input bad)</source>
        <translation> (entrada mala)</translation>
    </message>
</context>
<context>
    <name>AlarmsPage</name>
    <message>
        <location filename="../hmi/gui/alarms/page.py" line="-196"/>
        <source>Cancel</source>
        <translation>Cancelar</translation>
    </message>
    <message>
        <location line="+90"/>
        <source>Active</source>
        <translation>Activas</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Shelved / out of service</source>
        <translation>Pospuestas / fuera de servicio</translation>
    </message>
    <message>
        <location line="+51"/>
        <source>All stations</source>
        <translation>Todas las estaciones</translation>
    </message>
    <message>
        <location line="+14"/>
        <source>Unacknowledged only</source>
        <translation>Solo sin reconocer</translation>
    </message>
    <message>
        <location line="+62"/>
        <location line="+201"/>
        <source>Select an alarm</source>
        <translation>Seleccione una alarma</translation>
    </message>
    <message>
        <location line="-175"/>
        <location line="+161"/>
        <source>Acknowledge</source>
        <translation>Reconocer</translation>
    </message>
    <message>
        <location line="-154"/>
        <source>Confirm</source>
        <translation>Confirmar</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Comment…</source>
        <translation>Comentario…</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Shelve…</source>
        <translation>Posponer…</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Out of service…</source>
        <translation>Fuera de servicio…</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Station</source>
        <translation>Estación</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Trend</source>
        <translation>Tendencia</translation>
    </message>
    <message>
        <location line="+47"/>
        <source>Unshelve</source>
        <translation>Reactivar</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Return to service</source>
        <translation>Volver a servicio</translation>
    </message>
    <message>
        <location line="+21"/>
        <source>Shelved / out of service (%1)</source>
        <translation>Pospuestas / fuera de servicio (%1)</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Active (%1)</source>
        <translation>Activas (%1)</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>%1 listed, %2 unacknowledged</source>
        <translation>%1 en la lista, %2 sin reconocer</translation>
    </message>
    <message>
        <location line="+4"/>
        <source> — the first %1 shown: filter by station or priority for the rest</source>
        <translation> — se muestran las primeras %1: filtre por estación o prioridad para ver el resto</translation>
    </message>
    <message>
        <location line="+49"/>
        <source>Acknowledge %1</source>
        <translation>Reconocer %1</translation>
    </message>
    <message>
        <location line="+14"/>
        <source>%1 alarms selected</source>
        <translation>%1 alarmas seleccionadas</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>Since %1</source>
        <translation>Desde %1</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Comment: %1</source>
        <translation>Comentario: %1</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>What to do: %1</source>
        <translation>Qué hacer: %1</translation>
    </message>
    <message>
        <location line="+24"/>
        <source>until it clears</source>
        <translation>hasta que desaparezca</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>%1 min left</source>
        <translation>quedan %1 min</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>at the server</source>
        <translation>en el servidor</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>%1 — shelved by %2: %3 (%4)</source>
        <translation>%1 — pospuesta por %2: %3 (%4)</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>%1 — out of service by %2 since %3: %4</source>
        <translation>%1 — fuera de servicio por %2 desde %3: %4</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>%1 — suppressed by design (station state)</source>
        <translation>%1 — suprimida por diseño (estado de la estación)</translation>
    </message>
    <message>
        <location line="+24"/>
        <source>Comment — %1</source>
        <translation>Comentario — %1</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Your comment:</source>
        <translation>Su comentario:</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Save</source>
        <translation>Guardar</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Until it clears</source>
        <translation>Hasta que desaparezca</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Shelve — %1</source>
        <translation>Posponer — %1</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Why? The alarm stays silent until the time runs out (at most %1 min).</source>
        <translation>¿Por qué? La alarma queda en silencio hasta que pase el tiempo (como máximo %1 min).</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Shelve</source>
        <translation>Posponer</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>Out of service — %1</source>
        <translation>Fuera de servicio — %1</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Why? (for example: transmitter being replaced, work order 4711)</source>
        <translation>¿Por qué? (por ejemplo: se cambia el transmisor, orden de trabajo 4711)</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Take out of service</source>
        <translation>Poner fuera de servicio</translation>
    </message>
</context>
<context>
    <name>Annunciator</name>
    <message>
        <location filename="../hmi/gui/alarms/banner.py" line="-147"/>
        <source>No horn: this build has no sound</source>
        <translation>Sin bocina: esta versión no tiene sonido</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>No horn: no sound device</source>
        <translation>Sin bocina: no hay dispositivo de sonido</translation>
    </message>
</context>
<context>
    <name>BrowserPanel</name>
    <message>
        <location filename="../hmi/gui/browser.py" line="+79"/>
        <source>Browse the sources</source>
        <translation>Explorar las fuentes</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Refresh</source>
        <translation>Actualizar</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Drag a tag onto the trend to draw it.</source>
        <translation>Arrastre una variable a la tendencia para dibujarla.</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Node or topic</source>
        <translation>Nodo o tópico</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Tag</source>
        <translation>Variable</translation>
    </message>
    <message>
        <location line="+68"/>
        <source>not in the plant file</source>
        <translation>no está en el archivo de planta</translation>
    </message>
    <message>
        <location line="+54"/>
        <source>no message yet</source>
        <translation>aún sin mensajes</translation>
    </message>
</context>
<context>
    <name>DimLayer</name>
    <message>
        <location filename="../hmi/gui/kiosk.py" line="+86"/>
        <source>Touch to wake</source>
        <translation>Toque para activar</translation>
    </message>
</context>
<context>
    <name>DiscardSheet</name>
    <message>
        <location filename="../hmi/gui/sync_page.py" line="+273"/>
        <source>Discard quarantined records?</source>
        <translation>¿Descartar los registros en cuarentena?</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Keep them</source>
        <translation>Conservarlos</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Discard</source>
        <translation>Descartar</translation>
    </message>
    <message numerus="yes">
        <location line="+12"/>
        <source>%n record(s) will not be sent to the MES. They stay in the cache and in the audit trail. Needs the engineer or admin role.</source>
        <translation>
            <numerusform>%n registro no se enviará al MES. Queda en la caché y en la auditoría. Requiere el rol de ingeniero o admin.</numerusform>
            <numerusform>%n registros no se enviarán al MES. Quedan en la caché y en la auditoría. Requiere el rol de ingeniero o admin.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>DowntimePanel</name>
    <message>
        <location filename="../hmi/gui/downtime/panel.py" line="+203"/>
        <source>Order…</source>
        <translation>Orden…</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Order %1</source>
        <translation>Orden %1</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>batch %1</source>
        <translation>lote %1</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>No order known</source>
        <translation>Ninguna orden conocida</translation>
    </message>
    <message>
        <location line="+18"/>
        <location line="+230"/>
        <source>Give reason…</source>
        <translation>Indicar motivo…</translation>
    </message>
    <message>
        <location line="-227"/>
        <source>Stop by hand…</source>
        <translation>Parada manual…</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>End stop</source>
        <translation>Terminar parada</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>Reasons…</source>
        <translation>Motivos…</translation>
    </message>
    <message>
        <location line="+16"/>
        <source>Shift…</source>
        <translation>Turno…</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>OEE</source>
        <translation>OEE</translation>
    </message>
    <message>
        <location line="+16"/>
        <source>Availability</source>
        <translation>Disponibilidad</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Performance</source>
        <translation>Rendimiento</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Quality</source>
        <translation>Calidad</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>⚑ Performance over 100 %, shown as 100 %: check the ideal cycle.</source>
        <translation>⚑ Rendimiento sobre 100 %, se muestra 100 %: revise el ciclo ideal.</translation>
    </message>
    <message>
        <location line="+14"/>
        <source>Top losses (unplanned)</source>
        <translation>Mayores pérdidas (no planificadas)</translation>
    </message>
    <message>
        <location line="+18"/>
        <source>No unplanned downtime in this window.</source>
        <translation>Sin paradas no planificadas en este periodo.</translation>
    </message>
    <message>
        <location line="+63"/>
        <source>OEE not updated: %1</source>
        <translation>OEE no actualizado: %1</translation>
    </message>
    <message>
        <location line="+47"/>
        <source>No stop open</source>
        <translation>Ninguna parada abierta</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Stops open from the machine state.</source>
        <translation>Las paradas se abren según el estado de la máquina.</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Reason: %1</source>
        <translation>Motivo: %1</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>No reason given yet</source>
        <translation>Aún sin motivo</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Change reason…</source>
        <translation>Cambiar motivo…</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>Waiting for a reason: %1</source>
        <translation>Esperando motivo: %1</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>OEE %1–%2</source>
        <translation>OEE %1–%2</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>OEE · shift %1 since %2</source>
        <translation>OEE · turno %1 desde %2</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>OEE since %1</source>
        <translation>OEE desde %1</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>Good %1
Reject %2</source>
        <translation>Buenas %1
Rechazo %2</translation>
    </message>
    <message>
        <location line="+28"/>
        <source>%n stop(s)</source>
        <translation>Paradas: %n</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>%1 min</source>
        <translation>%1 min</translation>
    </message>
    <message>
        <location line="+32"/>
        <source>Reasons waiting</source>
        <translation>Motivos pendientes</translation>
    </message>
    <message>
        <location line="+26"/>
        <source>Reasons waiting: %1</source>
        <translation>Motivos pendientes: %1</translation>
    </message>
</context>
<context>
    <name>ExitSheet</name>
    <message>
        <location filename="../hmi/gui/kiosk.py" line="+13"/>
        <source>Leave kiosk mode</source>
        <translation>Salir del modo quiosco</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Administrator</source>
        <translation>Administrador</translation>
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
        <translation>Solo un administrador puede cerrar Floorline aquí.</translation>
    </message>
    <message>
        <location line="-15"/>
        <source>Back</source>
        <translation>Atrás</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Close Floorline</source>
        <translation>Cerrar Floorline</translation>
    </message>
    <message>
        <location line="+31"/>
        <source>✕ Refused: only an administrator can close Floorline.</source>
        <translation>✕ Rechazado: solo un administrador puede cerrar Floorline.</translation>
    </message>
</context>
<context>
    <name>HmiStatusBar</name>
    <message numerus="yes">
        <location filename="../hmi/gui/status_bar.py" line="+142"/>
        <source>⚠ Records: %n quarantined</source>
        <translation>
            <numerusform>⚠ Registros: %n en cuarentena</numerusform>
            <numerusform>⚠ Registros: %n en cuarentena</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location line="+2"/>
        <source>⊘ Records: %n waiting, MES not reachable</source>
        <translation>
            <numerusform>⊘ Registros: %n en espera, MES no accesible</numerusform>
            <numerusform>⊘ Registros: %n en espera, MES no accesible</numerusform>
        </translation>
    </message>
    <message>
        <location line="+2"/>
        <source>○ Records: kept here</source>
        <translation>○ Registros: se guardan aquí</translation>
    </message>
    <message numerus="yes">
        <location line="+2"/>
        <source>⇅ Records: %n waiting</source>
        <translation>
            <numerusform>⇅ Registros: %n en espera</numerusform>
            <numerusform>⇅ Registros: %n en espera</numerusform>
        </translation>
    </message>
    <message>
        <location line="+2"/>
        <source>✓ Records: all delivered</source>
        <translation>✓ Registros: todos entregados</translation>
    </message>
    <message>
        <location line="+3"/>
        <source> · storage low</source>
        <translation> · poco espacio</translation>
    </message>
</context>
<context>
    <name>InstructionMedia</name>
    <message>
        <location filename="../hmi/gui/instructions/media.py" line="+196"/>
        <source>The picture %1 cannot be read.</source>
        <translation>No se puede leer la imagen %1.</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>Fit</source>
        <translation>Ajustar</translation>
    </message>
    <message>
        <location line="+58"/>
        <source>This build cannot show PDF pages: open %1 elsewhere.</source>
        <translation>Esta versión no puede mostrar páginas PDF: abra %1 en otro equipo.</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>The document %1 cannot be read.</source>
        <translation>No se puede leer el documento %1.</translation>
    </message>
    <message>
        <location line="+20"/>
        <source>Page %1 of %2</source>
        <translation>Página %1 de %2</translation>
    </message>
    <message>
        <location line="+21"/>
        <location line="+63"/>
        <source>▶ Play</source>
        <translation>▶ Reproducir</translation>
    </message>
    <message>
        <location line="-60"/>
        <source>⟲ From the start</source>
        <translation>⟲ Desde el inicio</translation>
    </message>
    <message>
        <location line="+22"/>
        <source>This build cannot play videos: watch %1 elsewhere.</source>
        <translation>Esta versión no puede reproducir vídeos: vea %1 en otro equipo.</translation>
    </message>
    <message>
        <location line="+28"/>
        <source>The video cannot be played: %1</source>
        <translation>No se puede reproducir el vídeo: %1</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>❚❚ Pause</source>
        <translation>❚❚ Pausa</translation>
    </message>
</context>
<context>
    <name>InstructionSheet</name>
    <message>
        <location filename="../hmi/gui/instructions/page.py" line="+76"/>
        <source>☑ Done</source>
        <translation>☑ Hecho</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>✓ Pass</source>
        <translation>✓ Pasa</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>✕ Fail</source>
        <translation>✕ Falla</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>Captured from the live value when you confirm.</source>
        <translation>Se toma del valor en vivo al confirmar.</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>Scan or type</source>
        <translation>Escanee o escriba</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>Reason for a value outside the limits</source>
        <translation>Motivo de un valor fuera de los límites</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Reason, if it fails</source>
        <translation>Motivo, si no pasa</translation>
    </message>
    <message>
        <location line="+44"/>
        <location line="+231"/>
        <source>Instructions — %1</source>
        <translation>Instrucciones — %1</translation>
    </message>
    <message>
        <location line="-182"/>
        <source>User</source>
        <translation>Usuario</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Second user (if asked)</source>
        <translation>Segunda persona (si se pide)</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>PIN</source>
        <translation>PIN</translation>
    </message>
    <message>
        <location line="+37"/>
        <source>◀ Back</source>
        <translation>◀ Atrás</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Abandon…</source>
        <translation>Abandonar…</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Close</source>
        <translation>Cerrar</translation>
    </message>
    <message>
        <location line="+3"/>
        <location line="+188"/>
        <source>Confirm step ▶</source>
        <translation>Confirmar paso ▶</translation>
    </message>
    <message>
        <location line="-115"/>
        <source>Badge read ✓</source>
        <translation>Tarjeta leída ✓</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Badge read: tap Confirm to sign with it.</source>
        <translation>Tarjeta leída: toque Confirmar para firmar con ella.</translation>
    </message>
    <message>
        <location line="+59"/>
        <source>Tap the instruction to start:</source>
        <translation>Toque la instrucción para empezar:</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>No instruction for this station and product.</source>
        <translation>No hay instrucciones para esta estación y producto.</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>steps · version %1</source>
        <translation>pasos · versión %1</translation>
    </message>
    <message>
        <location line="+17"/>
        <source>This run&apos;s version is gone: abandon it.</source>
        <translation>La versión de esta ejecución ya no existe: abandónela.</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>Step %1 of %2</source>
        <translation>Paso %1 de %2</translation>
    </message>
    <message>
        <location line="+113"/>
        <source>✓ Every step is confirmed.</source>
        <translation>✓ Todos los pasos están confirmados.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Finish ✓</source>
        <translation>Terminar ✓</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>a second person</source>
        <translation>una segunda persona</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>you</source>
        <translation>usted</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Signature by %1: “%2”</source>
        <translation>Firma de %1: «%2»</translation>
    </message>
    <message>
        <location line="-334"/>
        <source>Why does the run stop here? Type it, then Abandon again.</source>
        <translation>¿Por qué se detiene aquí? Escríbalo y pulse Abandonar otra vez.</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Reason</source>
        <translation>Motivo</translation>
    </message>
    <message>
        <location line="+108"/>
        <source>Both signatures are given: tap Confirm.</source>
        <translation>Las dos firmas están dadas: toque Confirmar.</translation>
    </message>
    <message>
        <location line="+167"/>
        <source>Picture</source>
        <translation>Imagen</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Document</source>
        <translation>Documento</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Video</source>
        <translation>Vídeo</translation>
    </message>
    <message>
        <location line="+54"/>
        <source>User and PIN, or hold a badge to the reader.</source>
        <translation>Usuario y PIN, o acerque una tarjeta al lector.</translation>
    </message>
    <message>
        <location line="+72"/>
        <source>Saving…</source>
        <translation>Guardando…</translation>
    </message>
    <message>
        <location line="+16"/>
        <source>outside the limits: a lead signs below</source>
        <translation>fuera de los límites: un jefe de turno firma abajo</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>out-of-limit value accepted</source>
        <translation>valor fuera de límites aceptado</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>✕ The sign-off is missing or not valid.</source>
        <translation>✕ Falta la firma o no es válida.</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>✕ Some entries need attention.</source>
        <translation>✕ Algunas entradas requieren atención.</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>✓ On record as no. %1.</source>
        <translation>✓ Registrado con el n.º %1.</translation>
    </message>
</context>
<context>
    <name>InterventionSheet</name>
    <message>
        <location filename="../hmi/gui/intervention.py" line="+41"/>
        <source>Note / intervention — %1</source>
        <translation>Nota / intervención — %1</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>What did you do or see? It is saved with your name and the time.</source>
        <translation>¿Qué hizo o vio? Se guarda con su nombre y la hora.</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>For example: cleared a jam at the infeed</source>
        <translation>Por ejemplo: atasco en la entrada despejado</translation>
    </message>
    <message>
        <location line="+19"/>
        <location line="+76"/>
        <source>Cancel</source>
        <translation>Cancelar</translation>
    </message>
    <message>
        <location line="-75"/>
        <source>Save</source>
        <translation>Guardar</translation>
    </message>
    <message>
        <location line="+32"/>
        <source>Saving…</source>
        <translation>Guardando…</translation>
    </message>
    <message>
        <location line="+15"/>
        <source>✓ Saved: %1 record no. %2.</source>
        <translation>✓ Guardado: %1 registro n.º %2.</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>✓ About %1 (tap: not about it)</source>
        <translation>✓ Sobre %1 (toque: no es sobre esto)</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Not linked. Tap: about %1</source>
        <translation>Sin vincular. Toque: sobre %1</translation>
    </message>
    <message>
        <location line="+15"/>
        <source>Close</source>
        <translation>Cerrar</translation>
    </message>
</context>
<context>
    <name>JournalModel</name>
    <message>
        <location filename="../hmi/gui/alarms/journal_page.py" line="-497"/>
        <source>Time</source>
        <translation>Hora</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Station</source>
        <translation>Estación</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Priority</source>
        <translation>Prioridad</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Event</source>
        <translation>Evento</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>State</source>
        <translation>Estado</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Message</source>
        <translation>Mensaje</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Value</source>
        <translation>Valor</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>User</source>
        <translation>Usuario</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Text</source>
        <translation>Texto</translation>
    </message>
    <message>
        <location line="+45"/>
        <source>until %1</source>
        <translation>hasta %1</translation>
    </message>
</context>
<context>
    <name>Keypad</name>
    <message>
        <location filename="../hmi/gui/touch.py" line="+261"/>
        <source>Clear</source>
        <translation>Borrar</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Delete the last character</source>
        <translation>Borrar el último carácter</translation>
    </message>
</context>
<context>
    <name>LanguageButton</name>
    <message>
        <location filename="../hmi/gui/i18n.py" line="+241"/>
        <source>Language</source>
        <translation>Idioma</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Language: %1</source>
        <translation>Idioma: %1</translation>
    </message>
</context>
<context>
    <name>LanguageSheet</name>
    <message>
        <location line="+14"/>
        <source>Language</source>
        <translation>Idioma</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Cancel</source>
        <translation>Cancelar</translation>
    </message>
</context>
<context>
    <name>LinkSheet</name>
    <message>
        <location filename="../hmi/gui/link_sheet.py" line="+24"/>
        <source>Link</source>
        <translation>Conexión</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Close</source>
        <translation>Cerrar</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Link to %1</source>
        <translation>Conexión con %1</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>State: %1 since %2</source>
        <translation>Estado: %1 desde %2</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Last error: %1</source>
        <translation>Último error: %1</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Last rejected message: %1</source>
        <translation>Último mensaje rechazado: %1</translation>
    </message>
</context>
<context>
    <name>LockBanner</name>
    <message>
        <location filename="../hmi/gui/session_control.py" line="+284"/>
        <source>Locked — tap to sign in</source>
        <translation>Bloqueado — toque para iniciar sesión</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Nobody signed in — tap to sign in</source>
        <translation>Nadie ha iniciado sesión — toque para iniciar sesión</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Live values keep updating; actions need a signed-in user.</source>
        <translation>Los valores en vivo siguen actualizándose; las acciones requieren un usuario con sesión.</translation>
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
        <translation>Resumen</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Trends</source>
        <translation>Tendencias</translation>
    </message>
    <message>
        <location line="+85"/>
        <source>Records</source>
        <translation>Registros</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>Instructions…</source>
        <translation>Instrucciones…</translation>
    </message>
    <message>
        <location line="+26"/>
        <source>⚙ Setpoint…</source>
        <translation>⚙ Consigna…</translation>
    </message>
    <message>
        <location line="+21"/>
        <source>Journal</source>
        <translation>Registro</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>KPIs</source>
        <translation>Indicadores</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Alarms</source>
        <translation>Alarmas</translation>
    </message>
    <message>
        <location line="+268"/>
        <source>All stations</source>
        <translation>Todas las estaciones</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Alarm journal</source>
        <translation>Registro de alarmas</translation>
    </message>
</context>
<context>
    <name>Priority</name>
    <message>
        <location filename="../hmi/gui/alarms/look.py" line="-35"/>
        <source>Low</source>
        <translation>Baja</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Medium</source>
        <translation>Media</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>High</source>
        <translation>Alta</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Critical</source>
        <translation>Crítica</translation>
    </message>
</context>
<context>
    <name>PriorityBars</name>
    <message>
        <location filename="../hmi/gui/alarms/kpi_page.py" line="-399"/>
        <source>counts with High</source>
        <translation>cuenta con Alta</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>target ~%1 %</source>
        <translation>objetivo ~%1 %</translation>
    </message>
</context>
<context>
    <name>Quality</name>
    <message>
        <location filename="../hmi/gui/theme.py" line="+62"/>
        <source>Good</source>
        <translation>Buena</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Uncertain</source>
        <translation>Incierta</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Bad</source>
        <translation>Mala</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Stale</source>
        <translation>Desactualizada</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>No connection</source>
        <translation>Sin conexión</translation>
    </message>
</context>
<context>
    <name>QuarantineModel</name>
    <message>
        <location filename="../hmi/gui/sync_page.py" line="-214"/>
        <source>Station</source>
        <translation>Estación</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>No.</source>
        <translation>N.º</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Kind</source>
        <translation>Tipo</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Time</source>
        <translation>Hora</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>User</source>
        <translation>Usuario</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Tries</source>
        <translation>Intentos</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Refused because</source>
        <translation>Rechazado porque</translation>
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
        <translation>%1 %2 desde %3 · %4</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>%1 %2 · from %3 · %4</source>
        <translation>%1 %2 · desde %3 · %4</translation>
    </message>
    <message>
        <location line="+6"/>
        <source> · opened by hand</source>
        <translation> · abierta a mano</translation>
    </message>
    <message>
        <location line="+155"/>
        <source>Most used at %1</source>
        <translation>Más usados en %1</translation>
    </message>
    <message>
        <location line="+19"/>
        <source>Search all reasons…</source>
        <translation>Buscar en todos los motivos…</translation>
    </message>
    <message>
        <location line="+27"/>
        <source>Comment (optional)</source>
        <translation>Comentario (opcional)</translation>
    </message>
    <message>
        <location line="+9"/>
        <location line="+246"/>
        <source>Cancel</source>
        <translation>Cancelar</translation>
    </message>
    <message>
        <location line="-240"/>
        <location line="+234"/>
        <source>Save</source>
        <translation>Guardar</translation>
    </message>
    <message>
        <location line="-206"/>
        <source>Change the reason — %1</source>
        <translation>Cambiar el motivo — %1</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Why did %1 stop?</source>
        <translation>¿Por qué paró %1?</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Stop by hand — %1</source>
        <translation>Parada manual — %1</translation>
    </message>
    <message>
        <location line="+24"/>
        <source>Starts now, at %1. End it with End stop on the station page.</source>
        <translation>Empieza ahora, a las %1. Termínela con «Terminar parada» en la página de la estación.</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>◻ planned</source>
        <translation>◻ planificada</translation>
    </message>
    <message>
        <location line="+28"/>
        <source>‹ All reasons</source>
        <translation>‹ Todos los motivos</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>clear the search</source>
        <translation>borrar la búsqueda</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>%n reasons match</source>
        <translation>Motivos que coinciden: %n</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>‹ Back</source>
        <translation>‹ Atrás</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>All reasons</source>
        <translation>Todos los motivos</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>%n reasons ›</source>
        <translation>Motivos: %n ›</translation>
    </message>
    <message>
        <location line="+25"/>
        <source>Saving…</source>
        <translation>Guardando…</translation>
    </message>
    <message>
        <location line="+16"/>
        <source>no reason yet</source>
        <translation>aún sin motivo</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>✓ Saved: the stop started, %1.</source>
        <translation>✓ Guardado: parada iniciada, %1.</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>✓ Saved: %1 for the stop from %2.</source>
        <translation>✓ Guardado: %1 para la parada desde %2.</translation>
    </message>
    <message>
        <location line="+32"/>
        <source>No reason chosen</source>
        <translation>Ningún motivo elegido</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>A reason can follow later</source>
        <translation>El motivo puede indicarse después</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Start the stop</source>
        <translation>Iniciar la parada</translation>
    </message>
    <message>
        <location line="+6"/>
        <location line="+52"/>
        <source>Close</source>
        <translation>Cerrar</translation>
    </message>
    <message>
        <location line="-22"/>
        <source>Stops waiting for a reason</source>
        <translation>Paradas sin motivo</translation>
    </message>
    <message>
        <location line="+47"/>
        <source>✓ No stop is waiting for a reason.</source>
        <translation>✓ Ninguna parada espera motivo.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Waiting, oldest first: tap one to give its reason</source>
        <translation>Pendientes, la más antigua primero: toque una para indicar su motivo</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>… and %1 more</source>
        <translation>… y %1 más</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Given this shift: tap one to change its reason (leads)</source>
        <translation>Indicados en este turno: toque uno para cambiar su motivo (jefes de turno)</translation>
    </message>
</context>
<context>
    <name>Role</name>
    <message>
        <location filename="../hmi/gui/session_control.py" line="-39"/>
        <source>Operator</source>
        <translation>Operador</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Lead</source>
        <translation>Jefe de turno</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Maintenance</source>
        <translation>Mantenimiento</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Engineer</source>
        <translation>Ingeniero</translation>
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
        <translation>Espacio</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Enter ↵</source>
        <translation>Intro ↵</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>▾ Hide</source>
        <translation>▾ Ocultar</translation>
    </message>
</context>
<context>
    <name>ServiceTasks</name>
    <message>
        <location filename="../hmi/gui/tasks.py" line="+181"/>
        <source>Not done: an internal error (details in the log).</source>
        <translation>No realizado: error interno (detalles en el registro).</translation>
    </message>
</context>
<context>
    <name>SessionIndicator</name>
    <message>
        <location filename="../hmi/gui/session_control.py" line="+67"/>
        <source>Lock</source>
        <translation>Bloquear</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Sign out</source>
        <translation>Cerrar sesión</translation>
    </message>
    <message>
        <location line="+21"/>
        <source>Not signed in</source>
        <translation>Sin sesión</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Locked: %1</source>
        <translation>Bloqueado: %1</translation>
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
            <numerusform>Se bloquea en %n s</numerusform>
            <numerusform>Se bloquea en %n s</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>ShiftSheet</name>
    <message>
        <location filename="../hmi/gui/downtime/shift_sheet.py" line="+61"/>
        <source>OEE %1  ·  A %2  P %3  Q %4</source>
        <translation>OEE %1  ·  D %2  R %3  C %4</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Good %1 · reject %2 · down %3 min</source>
        <translation>Buenas %1 · rechazo %2 · parada %3 min</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Order %1: OEE %2, good %3</source>
        <translation>Orden %1: OEE %2, buenas %3</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Stops %1 · waiting for a reason %2 · alarms %3</source>
        <translation>Paradas %1 · sin motivo %2 · alarmas %3</translation>
    </message>
    <message>
        <location line="+29"/>
        <source>Shift — %1</source>
        <translation>Turno — %1</translation>
    </message>
    <message>
        <location line="+25"/>
        <source>Close</source>
        <translation>Cerrar</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>Stops this shift, oldest first: tap one to correct it (leads)</source>
        <translation>Paradas de este turno, la más antigua primero: toque una para corregirla (jefes de turno)</translation>
    </message>
    <message>
        <location line="+24"/>
        <source>Change reason…</source>
        <translation>Cambiar motivo…</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Split…</source>
        <translation>Dividir…</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Merge with next</source>
        <translation>Unir con la siguiente</translation>
    </message>
    <message>
        <location line="+31"/>
        <source>Split here</source>
        <translation>Dividir aquí</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>Summary</source>
        <translation>Resumen</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Loading…</source>
        <translation>Cargando…</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Export HTML (leads)</source>
        <translation>Exportar HTML (jefes de turno)</translation>
    </message>
    <message>
        <location line="+39"/>
        <source>Shift %1, %2–%3</source>
        <translation>Turno %1, %2–%3</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>The last 8 hours, %2–%3</source>
        <translation>Las últimas 8 horas, %2–%3</translation>
    </message>
    <message>
        <location line="+21"/>
        <source>no reason yet</source>
        <translation>aún sin motivo</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>No stop this shift.</source>
        <translation>Ninguna parada en este turno.</translation>
    </message>
    <message>
        <location line="+49"/>
        <source>Split at %1: %2 before, %3 after</source>
        <translation>Dividir a las %1: %2 antes, %3 después</translation>
    </message>
    <message>
        <location line="+16"/>
        <source>✓ Split: two stops, each with the reason it had.</source>
        <translation>✓ Dividida: dos paradas, cada una con el motivo que tenía.</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>✓ Merged into one stop.</source>
        <translation>✓ Unidas en una sola parada.</translation>
    </message>
    <message>
        <location line="+5"/>
        <location line="+153"/>
        <source>Saving…</source>
        <translation>Guardando…</translation>
    </message>
    <message>
        <location line="-135"/>
        <source>Exporting…</source>
        <translation>Exportando…</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>✓ Exported to %1</source>
        <translation>✓ Exportado a %1</translation>
    </message>
    <message>
        <location line="+37"/>
        <source>What is %1 making?</source>
        <translation>¿Qué está fabricando %1?</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>Type or scan. What you enter wins over the line&apos;s own values.</source>
        <translation>Escriba o escanee. Lo que introduzca prevalece sobre los valores de la línea.</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>Order</source>
        <translation>Orden</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Product</source>
        <translation>Producto</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Batch</source>
        <translation>Lote</translation>
    </message>
    <message>
        <location line="+19"/>
        <source>Back</source>
        <translation>Atrás</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Use the line&apos;s values</source>
        <translation>Usar los valores de la línea</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Save</source>
        <translation>Guardar</translation>
    </message>
</context>
<context>
    <name>SignInSheet</name>
    <message>
        <location filename="../hmi/gui/sign_in.py" line="+70"/>
        <location line="+54"/>
        <location line="+56"/>
        <source>Sign in</source>
        <translation>Iniciar sesión</translation>
    </message>
    <message>
        <location line="-104"/>
        <source>Cancel</source>
        <translation>Cancelar</translation>
    </message>
    <message>
        <location line="+23"/>
        <source>Or hold your badge to the reader.</source>
        <translation>O acerque su tarjeta al lector.</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>user id</source>
        <translation>id de usuario</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>User</source>
        <translation>Usuario</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>PIN</source>
        <translation>PIN</translation>
    </message>
    <message>
        <location line="+14"/>
        <source>Tap your name</source>
        <translation>Toque su nombre</translation>
    </message>
    <message>
        <location line="+35"/>
        <source>Unlock or take over</source>
        <translation>Desbloquear o tomar el relevo</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Locked: %1. Type the PIN to unlock, or tap another name to take over.</source>
        <translation>Bloqueado: %1. Escriba el PIN para desbloquear o toque otro nombre para tomar el relevo.</translation>
    </message>
    <message>
        <location line="+54"/>
        <source>Tap your name or type your user id.</source>
        <translation>Toque su nombre o escriba su id de usuario.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Type your PIN on the keypad.</source>
        <translation>Escriba su PIN en el teclado.</translation>
    </message>
    <message>
        <location line="+21"/>
        <source>Sign-in refused. Check your user and PIN, or ask your lead.</source>
        <translation>Inicio de sesión rechazado. Revise su usuario y PIN o pregunte a su jefe de turno.</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>Checking…</source>
        <translation>Comprobando…</translation>
    </message>
</context>
<context>
    <name>SourceLabel</name>
    <message>
        <location filename="../hmi/gui/status_bar.py" line="-88"/>
        <source>connected</source>
        <translation>conectado</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>connecting</source>
        <translation>conectando</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>no connection</source>
        <translation>sin conexión</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>stopped</source>
        <translation>detenido</translation>
    </message>
    <message numerus="yes">
        <location line="+5"/>
        <source>, retry in %n s</source>
        <translation>
            <numerusform>, reintento en %n s</numerusform>
            <numerusform>, reintento en %n s</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location line="+2"/>
        <source> · %n rejected</source>
        <translation>
            <numerusform> · %n rechazado</numerusform>
            <numerusform> · %n rechazados</numerusform>
        </translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Since: %1</source>
        <translation>Desde: %1</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Last error: %1</source>
        <translation>Último error: %1</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Last rejected: %1</source>
        <translation>Último rechazo: %1</translation>
    </message>
</context>
<context>
    <name>State</name>
    <message>
        <location filename="../hmi/gui/theme.py" line="+7"/>
        <source>Running</source>
        <translation>En marcha</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Idle</source>
        <translation>En espera</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Stopped</source>
        <translation>Parada</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Faulted</source>
        <translation>Avería</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Starved</source>
        <translation>Sin material</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Blocked</source>
        <translation>Bloqueada</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Planned stop</source>
        <translation>Parada planificada</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Changeover</source>
        <translation>Cambio de formato</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Unknown</source>
        <translation>Desconocido</translation>
    </message>
</context>
<context>
    <name>StateBadge</name>
    <message>
        <location filename="../hmi/gui/widgets.py" line="+55"/>
        <source>The machine state is not known: %1</source>
        <translation>El estado de la máquina no se conoce: %1</translation>
    </message>
</context>
<context>
    <name>StationActions</name>
    <message>
        <location filename="../hmi/gui/intervention.py" line="+29"/>
        <source>✎ Note…</source>
        <translation>✎ Nota…</translation>
    </message>
    <message>
        <location line="+15"/>
        <source>Last note: no. %1 at %2, saved.</source>
        <translation>Última nota: n.º %1 a las %2, guardada.</translation>
    </message>
</context>
<context>
    <name>StationPage</name>
    <message>
        <location filename="../hmi/gui/pages.py" line="+169"/>
        <source>Tap a value to see its trend</source>
        <translation>Toque un valor para ver su tendencia</translation>
    </message>
</context>
<context>
    <name>Subject</name>
    <message>
        <location filename="../hmi/gui/about.py" line="+45"/>
        <source>the stop since %1</source>
        <translation>la parada desde %1</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>alarm: %1</source>
        <translation>alarma: %1</translation>
    </message>
</context>
<context>
    <name>SyncPage</name>
    <message>
        <location filename="../hmi/gui/sync_page.py" line="-31"/>
        <source>no upstream configured: records stay here</source>
        <translation>sin destino configurado: los registros se quedan aquí</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>connecting</source>
        <translation>conectando</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>connected</source>
        <translation>conectado</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>not reachable, retrying</source>
        <translation>no accesible, reintentando</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>stopped</source>
        <translation>detenido</translation>
    </message>
    <message>
        <location line="+57"/>
        <source>Records to the MES</source>
        <translation>Registros al MES</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>Quarantined: refused by the MES, kept here</source>
        <translation>En cuarentena: rechazados por el MES, guardados aquí</translation>
    </message>
    <message>
        <location line="+28"/>
        <source>Upstream</source>
        <translation>Destino</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Link</source>
        <translation>Enlace</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Waiting to be sent</source>
        <translation>Pendientes de envío</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Sent, waiting for receipt</source>
        <translation>Enviados, esperando acuse</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Delivered</source>
        <translation>Entregados</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Quarantined</source>
        <translation>En cuarentena</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Oldest waiting</source>
        <translation>Pendiente más antiguo</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Last error</source>
        <translation>Último error</translation>
    </message>
    <message>
        <location line="+16"/>
        <source>Retry selected</source>
        <translation>Reintentar seleccionados</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Export selected</source>
        <translation>Exportar seleccionados</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Discard selected…</source>
        <translation>Descartar seleccionados…</translation>
    </message>
    <message numerus="yes">
        <location line="+50"/>
        <source>%n record(s) back in the queue.</source>
        <translation>
            <numerusform>%n registro de vuelta en la cola.</numerusform>
            <numerusform>%n registros de vuelta en la cola.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location line="+11"/>
        <source>%n record(s) written to %1.</source>
        <translation>
            <numerusform>%n registro escrito en %1.</numerusform>
            <numerusform>%n registros escritos en %1.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location line="+11"/>
        <source>%n record(s) discarded (kept in the cache, not sent).</source>
        <translation>
            <numerusform>%n registro descartado (se conserva en la caché, no se envía).</numerusform>
            <numerusform>%n registros descartados (se conservan en la caché, no se envían).</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>TagPicker</name>
    <message>
        <location filename="../hmi/gui/trend/page.py" line="+45"/>
        <source>Pens of the ad-hoc trend</source>
        <translation>Curvas de la tendencia libre</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Done</source>
        <translation>Listo</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>Other tags</source>
        <translation>Otras variables</translation>
    </message>
    <message>
        <location line="+29"/>
        <source>At most %1 pens.</source>
        <translation>Como máximo %1 curvas.</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>The trend is full: remove a pen first.</source>
        <translation>La tendencia está llena: quite antes una curva.</translation>
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
        <translation>Valor</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Unit</source>
        <translation>Unidad</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Quality</source>
        <translation>Calidad</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Age</source>
        <translation>Antigüedad</translation>
    </message>
</context>
<context>
    <name>Tasks</name>
    <message>
        <location filename="../hmi/gui/tasks.py" line="-126"/>
        <source>Refused: the screen is locked or nobody is signed in. Sign in, then try again.</source>
        <translation>Rechazado: la pantalla está bloqueada o no hay nadie con sesión. Inicie sesión y vuelva a intentarlo.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Refused: your role may not do this. Ask your lead.</source>
        <translation>Rechazado: su rol no permite esto. Pregunte a su jefe de turno.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Not saved: %1</source>
        <translation>No guardado: %1</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Not done: %1</source>
        <translation>No realizado: %1</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Not signed: the PIN did not match.</source>
        <translation>No firmado: el PIN no coincide.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Not done: the runtime is not running.</source>
        <translation>No realizado: el servicio de ejecución no está en marcha.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Not done: the call was cancelled.</source>
        <translation>No realizado: la llamada se canceló.</translation>
    </message>
</context>
<context>
    <name>TrendView</name>
    <message>
        <location filename="../hmi/gui/trend/view.py" line="+236"/>
        <source>Earlier by one window</source>
        <translation>Una ventana antes</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Later by one window</source>
        <translation>Una ventana después</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Go to</source>
        <translation>Ir a</translation>
    </message>
    <message>
        <location line="+4"/>
        <location line="+262"/>
        <source>● Live</source>
        <translation>● En vivo</translation>
    </message>
    <message>
        <location line="-258"/>
        <source>CSV</source>
        <translation>CSV</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Export the visible range as CSV</source>
        <translation>Exportar el rango visible como CSV</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>PNG</source>
        <translation>PNG</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Save a picture of the trend</source>
        <translation>Guardar una imagen de la tendencia</translation>
    </message>
    <message>
        <location line="+33"/>
        <source>▶ Back to live</source>
        <translation>▶ Volver a en vivo</translation>
    </message>
    <message>
        <location line="+82"/>
        <source>(no unit)</source>
        <translation>(sin unidad)</translation>
    </message>
    <message>
        <location line="+57"/>
        <source>Remove %1 from the trend</source>
        <translation>Quitar %1 de la tendencia</translation>
    </message>
    <message>
        <location line="+82"/>
        <source>Paused</source>
        <translation>En pausa</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>⏸ PAUSED: the view stands still, recording goes on. Showing %1 to %2</source>
        <translation>⏸ EN PAUSA: la vista está quieta, el registro continúa. Mostrando de %1 a %2</translation>
    </message>
    <message>
        <location line="+169"/>
        <source>History could not be read: %1</source>
        <translation>No se pudo leer el histórico: %1</translation>
    </message>
    <message>
        <location line="+118"/>
        <source>Nothing to export</source>
        <translation>Nada que exportar</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Exporting to %1 …</source>
        <translation>Exportando a %1 …</translation>
    </message>
    <message>
        <location line="+10"/>
        <location line="+17"/>
        <location line="+3"/>
        <source>Export failed: %1</source>
        <translation>Error al exportar: %1</translation>
    </message>
    <message>
        <location line="-17"/>
        <source>Saved %1 rows to %2</source>
        <translation>%1 filas guardadas en %2</translation>
    </message>
    <message>
        <location line="+19"/>
        <source>Saved the picture to %1</source>
        <translation>Imagen guardada en %1</translation>
    </message>
    <message>
        <location line="+38"/>
        <source>◐ uncertain</source>
        <translation>◐ incierta</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>✕ bad</source>
        <translation>✕ mala</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>◷ stale</source>
        <translation>◷ desactualizada</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>⊘ no connection</source>
        <translation>⊘ sin conexión</translation>
    </message>
</context>
<context>
    <name>TrendsPage</name>
    <message>
        <location filename="../hmi/gui/trend/page.py" line="+34"/>
        <source>Ad-hoc</source>
        <translation>Libre</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>+ Pens…</source>
        <translation>+ Curvas…</translation>
    </message>
</context>
<context>
    <name>Value</name>
    <message>
        <location filename="../hmi/gui/text.py" line="-26"/>
        <source>On</source>
        <translation>Encendido</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Off</source>
        <translation>Apagado</translation>
    </message>
</context>
<context>
    <name>WriteSheet</name>
    <message>
        <location filename="../hmi/gui/write_sheet.py" line="+34"/>
        <location line="+63"/>
        <source>On</source>
        <translation>Encendido</translation>
    </message>
    <message>
        <location line="-61"/>
        <location line="+64"/>
        <source>Off</source>
        <translation>Apagado</translation>
    </message>
    <message>
        <location line="-9"/>
        <source>Why? (required, on record)</source>
        <translation>¿Por qué? (obligatorio, queda registrado)</translation>
    </message>
    <message>
        <location line="+24"/>
        <location line="+219"/>
        <source>Cancel</source>
        <translation>Cancelar</translation>
    </message>
    <message>
        <location line="-216"/>
        <source>Review…</source>
        <translation>Revisar…</translation>
    </message>
    <message>
        <location line="+47"/>
        <source>Back</source>
        <translation>Atrás</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Write to the plant</source>
        <translation>Escribir en la planta</translation>
    </message>
    <message>
        <location line="+22"/>
        <source>Change %1</source>
        <translation>Cambiar %1</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Now: %1</source>
        <translation>Ahora: %1</translation>
    </message>
    <message>
        <location line="+16"/>
        <source>Allowed: %1 … %2</source>
        <translation>Permitido: %1 … %2</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>At most %1 in one step</source>
        <translation>Como máximo %1 en un paso</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>For %1</source>
        <translation>Para %1</translation>
    </message>
    <message>
        <location line="+32"/>
        <source>Give a reason.</source>
        <translation>Indique un motivo.</translation>
    </message>
    <message>
        <location line="+14"/>
        <source>Reason: %1</source>
        <translation>Motivo: %1</translation>
    </message>
    <message>
        <location line="+14"/>
        <source>Writing…</source>
        <translation>Escribiendo…</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>✓ Written: the plant shows %1.</source>
        <translation>✓ Escrito: la planta muestra %1.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>✕ Sent, but the plant shows %1, not %2. Check at the machine.</source>
        <translation>✕ Enviado, pero la planta muestra %1, no %2. Compruébelo en la máquina.</translation>
    </message>
    <message>
        <location line="+28"/>
        <source>Change a setpoint — %1</source>
        <translation>Cambiar una consigna — %1</translation>
    </message>
</context>
</TS>
