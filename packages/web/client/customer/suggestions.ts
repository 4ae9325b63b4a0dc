// The seed's example questions, offered as one-click suggestions.
export const SUGGESTIONS: ReadonlyArray<{ text: string; hint: string }> = [
  { text: 'What albums does AC/DC have?', hint: 'Catalog' },
  { text: 'Which jazz artists do you carry?', hint: 'Catalog' },
  { text: 'Do you have the song "Black Dog"?', hint: 'Song search' },
  { text: 'What genres do you have?', hint: 'Catalog' },
  { text: 'Show me my recent orders', hint: 'Orders' },
  { text: 'What does my account look like?', hint: 'Account' },
  { text: 'I want a refund for my last order', hint: 'Refund' },
];
