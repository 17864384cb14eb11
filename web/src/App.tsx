import { DirectionProvider, MantineProvider } from '@mantine/core';
import { QueryClientProvider } from '@tanstack/react-query';
import { useState } from 'react';
import { Root } from './Root';
import { createQueryClient } from './queryClient';
import { theme } from './theme';

interface AppProps {
  /** From <meta name="csp-nonce">; put on every <style> tag Mantine injects. */
  readonly styleNonce: string | undefined;
  readonly initialDirection: 'ltr' | 'rtl';
}

export function App({ styleNonce, initialDirection }: AppProps) {
  const [queryClient] = useState(createQueryClient);
  return (
    // DirectionProvider watches <html dir>, which i18n sets whenever the language changes.
    <DirectionProvider initialDirection={initialDirection} detectDirection>
      <MantineProvider
        theme={theme}
        defaultColorScheme="light"
        {...(styleNonce ? { getStyleNonce: () => styleNonce } : {})}
      >
        <QueryClientProvider client={queryClient}>
          <Root />
        </QueryClientProvider>
      </MantineProvider>
    </DirectionProvider>
  );
}
