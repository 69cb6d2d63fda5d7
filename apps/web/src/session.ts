import { createContext, useContext } from 'react';

export interface Me {
  id: string;
  username: string;
  fullName: string;
  roles: { role: string; orgUnitId: string | null }[];
}

export const MeContext = createContext<Me | null>(null);
export const useMe = () => useContext(MeContext);
