import { Box, Text } from 'ink';
import type { Gauge } from './gauge.js';
import { gaugeHot, gaugeText } from './gauge.js';
import { useTheme } from './theme.js';

/** Cost, tokens and time side by side, each in a third of the width. */
export function Gauges({ gauges, width }: { gauges: Gauge[]; width: number }) {
  const theme = useTheme();
  const each = Math.max(10, Math.floor((width - 2 * (gauges.length - 1)) / gauges.length));
  return (
    <Box flexDirection="row" gap={2}>
      {gauges.map((g) => (
        <Box key={g.label} width={each}>
          <Text wrap="truncate-end" color={gaugeHot(g) ? theme.warn : undefined}>
            {gaugeText(g, each)}
          </Text>
        </Box>
      ))}
    </Box>
  );
}
